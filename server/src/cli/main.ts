import { createReadStream, existsSync, mkdirSync, promises as fs, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { allRules } from '../../../rules/index';
import { ConfigError, findConfigFile, loadConfigFile, resolveConfig, type ResolvedConfig } from '../engine/config';
import { compareFindings, severityRank, uniqueFindings, type Finding, type Severity } from '../engine/finding';
import { looksBinary } from '../engine/documents/parse';
import { lintText } from '../engine/linter';
import { applyFixes, unifiedDiff, type FixText } from './apply-fixes';
import { parseCliArguments, USAGE, UsageError, type CliArguments } from './arguments';
import { collectTargetsWithConfigs, type LintTarget } from '../workspace/file-walker';
import { formatGithub } from './formatters/github';
import { formatJson } from './formatters/json';
import { projectRootOf, type Formatter } from './formatters/report';
import { formatSarif } from './formatters/sarif';
import { formatStylish } from './formatters/stylish';
import { readTextFile } from '../engine/documents/read-text';

/** Where the CLI writes and which folder it runs in; injectable so tests run it in-process. */
export interface CliEnvironment {
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly stdoutIsTerminal: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file to lint (the command line's prefetches); `fs.readFile` when absent. */
  readonly readFile?: (filePath: string) => Promise<Buffer>;
}

const FORMATTERS: Record<CliArguments['format'], Formatter> = { stylish: formatStylish, json: formatJson, sarif: formatSarif, github: formatGithub };

function toolVersion(): string {
  const manifest = path.resolve(__dirname, '..', '..', '..', '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * The config of each file: the one given with `--config`, else the nearest `.healthlint.yaml` above the file (as
 * ruff and ESLint's cascade find theirs), else above the working directory, else the defaults. Loaded once each.
 */
class ConfigLookup {
  private readonly loaded = new Map<string, ResolvedConfig>();
  /** By folder: a walked folder's files share it, and looking upwards costs a few file checks per level. */
  private readonly byFolder = new Map<string, ResolvedConfig>();

  constructor(private readonly cwd: string, private readonly explicit: string | undefined) {}

  /** Throws `ConfigError` for a config that cannot be used. */
  forFolder(folder: string): ResolvedConfig {
    const known = this.byFolder.get(folder);
    if (known) return known;
    const config = this.load(this.explicit ?? findConfigFile(folder, existsSync) ?? findConfigFile(this.cwd, existsSync));
    this.byFolder.set(folder, config);
    return config;
  }

  private load(found: string | undefined): ResolvedConfig {
    const key = found ?? '';
    let config = this.loaded.get(key);
    if (!config) {
      config = found ? loadConfigFile(found, allRules) : resolveConfig({}, allRules, this.cwd);
      this.loaded.set(key, config);
    }
    return config;
  }
}

/** Runs the CLI and returns its exit code: 0 clean, 1 failing findings, 2 usage/config/internal error. */
export async function runCli(argv: readonly string[], io: CliEnvironment): Promise<number> {
  let args: CliArguments;
  let configs: ConfigLookup;
  try {
    args = parseCliArguments(argv);
    if (args.help) {
      io.stdout(USAGE + '\n');
      return 0;
    }
    if (args.version) {
      io.stdout(toolVersion() + '\n');
      return 0;
    }
    if (args.listRules) {
      for (const rule of allRules) io.stdout(`${rule.meta.id.padEnd(30)} ${rule.meta.category.padEnd(15)} ${rule.meta.defaultSeverity.padEnd(8)} ${rule.meta.description}\n`);
      return 0;
    }
    // Configs are read while the paths are walked, before anything is linted: a broken one stops the run with exit 2.
    configs = new ConfigLookup(io.cwd, args.config ? path.resolve(io.cwd, args.config) : undefined);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`healthlint: ${error.message}\n${error instanceof UsageError ? 'Run healthlint --help for usage.\n' : ''}`);
      return 2;
    }
    throw error;
  }

  let internalError = false;
  // Each command-line path is walked with its own config's ignores, and each file is linted with its nearest config.
  let targets: readonly (LintTarget & { readonly config: ResolvedConfig })[];
  try {
    const walked = await collectTargetsWithConfigs(args.paths.map((input) => path.resolve(io.cwd, input)), (folder) => configs.forFolder(folder));
    for (const problem of walked.problems) {
      io.stderr(`healthlint: ${path.relative(io.cwd, problem.filePath) || problem.filePath}: ${problem.reason}\n`);
      internalError = true;
    }
    targets = walked.targets;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`healthlint: ${error.message}\n`);
    return 2;
  }
  const findings: Finding[] = [];
  const lintedFiles = new Set<string>();
  /** The files each linted spec read, so --fix re-lints only the specs a fix touched. */
  const filesOfTarget = new Map<string, readonly string[]>();
  for (const target of targets) {
    const display = path.relative(io.cwd, target.filePath) || target.filePath;
    const config = target.config;
    const maxBytes = config.settings.load?.maxFileBytes ?? 100 * 1024 * 1024;
    try {
      const stat = await fs.stat(target.filePath);
      const tooLarge = `skipped, larger than ${Math.round(maxBytes / 1048576)} MB (raise maxFileSizeMB in .healthlint.yaml)`;
      // A device never ends (`/dev/urandom`); a pipe (`healthlint <(generate-spec)`) is read, up to the size limit.
      if (!stat.isFile() && !stat.isFIFO()) {
        io.stderr(`healthlint: ${display}: skipped, not a regular file\n`);
        continue;
      }
      if (stat.size > maxBytes) {
        io.stderr(`healthlint: ${display}: ${tooLarge}\n`);
        continue;
      }
      const piped = stat.isFIFO() ? await readAtMost(target.filePath, maxBytes) : undefined;
      if (piped === null) {
        io.stderr(`healthlint: ${display}: ${tooLarge}\n`);
        continue;
      }
      const text = await readTextFile(target.filePath, piped ? async () => piped : io.readFile);
      if (looksBinary(text)) {
        if (target.explicit) io.stderr(`healthlint: ${display}: skipped, binary file\n`);
        continue;
      }
      const result = await lintText(target.filePath, text, config.settings, target.explicit);
      if (result.status === 'not-spec' && target.explicit) {
        io.stderr(`healthlint: ${display}: ${result.notSpecReason ? `skipped, ${result.notSpecReason}` : "not an OpenAPI or Swagger description (no 'openapi'/'swagger' root key), skipped"}\n`);
      }
      for (const failure of result.ruleFailures) {
        io.stderr(`healthlint: internal error in rule ${failure.ruleId} on ${display}: ${failure.message}\n`);
        internalError = true;
      }
      if (result.status === 'spec') {
        for (const file of result.files) lintedFiles.add(file);
        filesOfTarget.set(target.filePath, result.files);
      }
      findings.push(...result.findings);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Only the file system's own errors (ENOENT, EACCES, EISDIR...) are "cannot read"; anything else is ours.
      if (code && /^E[A-Z]+$/.test(code) && (error as NodeJS.ErrnoException).syscall) {
        io.stderr(`healthlint: ${display}: cannot read file (${code})\n`);
        // A file named on the command line that cannot be read fails the run, as a missing one does: CI must not pass unlinted.
        if (target.explicit) internalError = true;
      } else {
        io.stderr(`healthlint: internal error on ${display}: ${(error as Error).message}\n`);
        internalError = true;
      }
    }
  }

  let remaining = uniqueFindings(findings);
  if (args.fix) {
    // Fixes that touch the same place as one already taken wait for the next pass, on a fresh lint of the fixed
    // texts; as ESLint does, up to ten passes, so one run leaves nothing fixable behind. The passes work on texts in
    // memory (a referenced file is read from there too), so a dry run shows what a real one would write.
    const fixed = new Map<string, FixText>();
    const original = new Map<string, string>();
    const readText = (filePath: string) => fixed.get(filePath)?.text;
    let applied = 0;
    const notUtf8 = new Set<string>();
    for (let pass = 1; pass <= MAX_FIX_PASSES; pass++) {
      const outcome = await applyFixes(remaining, args.fix.unsafe, fixed);
      for (const file of outcome.notUtf8) notUtf8.add(file);
      if (outcome.changed.size === 0) break;
      applied += outcome.appliedFixes;
      for (const [file, { before }] of outcome.changed) if (!original.has(file)) original.set(file, before);
      const changedFiles = new Set(outcome.changed.keys());
      remaining = remaining.filter((finding) => !changedFiles.has(finding.uri));
      for (const target of targets.filter((candidate) => (filesOfTarget.get(candidate.filePath) ?? []).some((file) => changedFiles.has(file)))) {
        const text = fixed.get(target.filePath)?.text ?? (await readTextFile(target.filePath));
        const settings = { ...target.config.settings, load: { ...target.config.settings.load, readText } };
        const result = await lintText(target.filePath, text, settings, target.explicit);
        remaining.push(...result.findings.filter((finding) => changedFiles.has(finding.uri)));
      }
      remaining = uniqueFindings(remaining);
    }
    for (const file of notUtf8) {
      io.stderr(`healthlint: ${path.relative(io.cwd, file) || file}: not fixed: the file is not UTF-8, and writing it back would change its other characters\n`);
    }
    if (args.fix.dryRun) {
      for (const [file, before] of original) io.stdout(unifiedDiff(file, io.cwd, before, fixed.get(file)!.text));
      return internalError ? 2 : 0;
    }
    for (const file of original.keys()) await fs.writeFile(file, fixed.get(file)!.mark + fixed.get(file)!.text);
    io.stderr(`healthlint: applied ${applied} fix${applied === 1 ? '' : 'es'} in ${original.size} file${original.size === 1 ? '' : 's'}\n`);
  }
  const reported = remaining.filter((finding) => !args.quiet || finding.severity === 'error').sort(compareFindings);
  const color = args.color ?? (args.output === undefined && io.stdoutIsTerminal && !io.env['NO_COLOR'] && io.env['TERM'] !== 'dumb');
  const projectRoot = projectRootOf(io.cwd, io.env, existsSync);
  const text = FORMATTERS[args.format]({ findings: reported, lintedFiles: [...lintedFiles], rules: allRules, cwd: io.cwd, projectRoot, color: color && args.format === 'stylish', toolVersion: toolVersion() });
  if (args.output) {
    try {
      // Synchronously: the run is over, and a thread-pool round trip for a large report costs more than the write.
      makeFolders(path.dirname(path.resolve(io.cwd, args.output)));
      writeFileSync(path.resolve(io.cwd, args.output), text);
    } catch (error) {
      io.stderr(`healthlint: cannot write ${args.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 2;
    }
  } else if (text) io.stdout(text);

  // Nothing linted at all is a wrong path, not a clean API (ESLint: "No files matching the pattern").
  if (lintedFiles.size === 0 && findings.length === 0 && !internalError) {
    io.stderr(`healthlint: no OpenAPI or Swagger description found in ${args.paths.map((input) => `'${input}'`).join(', ')}\n`);
    return 2;
  }
  if (internalError) return 2;
  // The gates count every finding: --quiet changes what is shown, not what fails the build.
  const code = failingExitCode(remaining, args);
  const warnings = remaining.filter((finding) => finding.severity === 'warning').length;
  if (code === 1 && args.maxWarnings !== undefined && warnings > args.maxWarnings) io.stderr(`healthlint: too many warnings (${warnings}, maximum ${args.maxWarnings})\n`);
  return code;
}

/**
 * `mkdir -p`, one level at a time: Node 20's `mkdirSync(..., { recursive: true })` spins forever under `/proc`
 * (`-o /proc/x/report.json`) instead of failing.
 */
function makeFolders(folder: string): void {
  if (existsSync(folder)) return;
  const parent = path.dirname(folder);
  if (parent !== folder) makeFolders(parent);
  mkdirSync(folder);
}

/** A pipe's bytes, or null once they pass `maxBytes` (the rest is not read). */
async function readAtMost(filePath: string, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(filePath)) {
    total += (chunk as Buffer).length;
    if (total > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Passes of `--fix` (ESLint's number): each applies what the previous one left because it touched the same place. */
const MAX_FIX_PASSES = 10;

function failingExitCode(findings: readonly Finding[], args: CliArguments): number {
  if (args.failOn !== 'never') {
    const threshold = severityRank(args.failOn as Severity);
    if (findings.some((finding) => severityRank(finding.severity) <= threshold)) return 1;
  }
  if (args.maxWarnings !== undefined && findings.filter((finding) => finding.severity === 'warning').length > args.maxWarnings) return 1;
  return 0;
}
