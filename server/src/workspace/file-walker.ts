import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** A file to lint and how it was found: named on the command line, or found while walking a folder. */
export interface LintTarget {
  readonly filePath: string;
  readonly explicit: boolean;
}

export interface WalkProblem {
  readonly filePath: string;
  readonly reason: string;
}

const SPEC_EXTENSIONS = /\.(ya?ml|json)$/i;
/** Never descended into, whatever .gitignore says: dependencies and VCS metadata. */
const ALWAYS_SKIPPED_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

interface IgnoreScope {
  readonly baseDir: string;
  readonly matcher: Ignore;
}

async function readIgnoreFile(dir: string): Promise<IgnoreScope | undefined> {
  try {
    const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
    return { baseDir: dir, matcher: ignore().add(text) };
  } catch {
    return undefined;
  }
}

function isIgnored(filePath: string, isDir: boolean, scopes: readonly IgnoreScope[]): boolean {
  for (const scope of scopes) {
    const relative = path.relative(scope.baseDir, filePath).split(path.sep).join('/');
    if (!relative || relative.startsWith('..')) continue;
    if (scope.matcher.ignores(isDir ? relative + '/' : relative)) return true;
  }
  return false;
}

/**
 * Expands command-line paths into files. Folders are walked recursively, honouring every `.gitignore`
 * on the way (as git does, nested ones included) and the config's `ignore` patterns; only `.yaml`,
 * `.yml` and `.json` files are taken from folders. Files named explicitly are always linted.
 */
export async function collectTargets(inputs: readonly string[], configIgnore: readonly string[], configBaseDir: string): Promise<{ targets: LintTarget[]; problems: WalkProblem[] }> {
  const targets = new Map<string, LintTarget>();
  const problems: WalkProblem[] = [];
  const configScope: IgnoreScope = { baseDir: configBaseDir, matcher: ignore().add([...configIgnore]) };

  async function walk(dir: string, scopes: readonly IgnoreScope[]): Promise<void> {
    const own = await readIgnoreFile(dir);
    const active = own ? [...scopes, own] : scopes;
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ filePath: dir, reason: `cannot read folder (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (ALWAYS_SKIPPED_DIRS.has(entry.name) || isIgnored(full, true, active)) continue;
        await walk(full, active);
      } else if ((entry.isFile() || (entry.isSymbolicLink() && (await isFileBehindLink(full)))) && SPEC_EXTENSIONS.test(entry.name) && !isIgnored(full, false, active)) {
        // Linked files are linted; linked folders are not followed (a link back up would loop).
        if (!targets.has(full)) targets.set(full, { filePath: full, explicit: false });
      }
    }
  }

  for (const input of inputs) {
    const full = path.resolve(input);
    let stat;
    try {
      stat = await fs.stat(full);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' || code === undefined ? 'no such file or folder' : code === 'ELOOP' ? 'symbolic link loop' : `cannot read (${code})`;
      problems.push({ filePath: input, reason });
      continue;
    }
    if (stat.isDirectory()) {
      // .gitignore files above the starting folder apply too, up to the repository root, as git applies them: none
      // when the folder is the root itself, and none outside a repository (a dotfiles `.gitignore` of `*` in the home
      // folder would otherwise hide every spec below it).
      const ancestors: IgnoreScope[] = [];
      let inRepository = await exists(path.join(full, '.git'));
      for (let dir = path.dirname(full); !inRepository && dir !== full; dir = path.dirname(dir)) {
        const scope = await readIgnoreFile(dir);
        if (scope) ancestors.unshift(scope);
        if (await exists(path.join(dir, '.git'))) inRepository = true;
        if (path.dirname(dir) === dir) break;
      }
      await walk(full, inRepository ? [configScope, ...ancestors] : [configScope]);
    } else {
      targets.set(full, { filePath: full, explicit: true });
    }
  }
  return { targets: [...targets.values()], problems };
}

async function isFileBehindLink(filePath: string): Promise<boolean> {
  try {
    return (await fs.stat(filePath)).isFile();
  } catch {
    return false;
  }
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await fs.access(filePath);
    return true;
  } catch {
    return false;
  }
}

/** What the walk needs of a config: its `ignore` patterns and the folder they are relative to. */
export interface IgnoreSettings {
  readonly ignore: readonly string[];
  readonly baseDir: string;
}

/**
 * `collectTargets` with configs found per folder (the CLI's and the language server's lookup): each input is walked
 * under its own config's ignores, and a file found below a nested config is dropped by that config's ignores too.
 * Every target comes with the config that applies to it. `configIn` may throw (a broken config).
 */
export async function collectTargetsWithConfigs<Config extends IgnoreSettings>(
  inputs: readonly string[],
  configIn: (folder: string) => Config,
): Promise<{ targets: (LintTarget & { readonly config: Config })[]; problems: WalkProblem[] }> {
  const targets: (LintTarget & { config: Config })[] = [];
  const problems: WalkProblem[] = [];
  const seen = new Set<string>();
  const matchers = new Map<Config, Ignore>();
  for (const input of inputs) {
    const full = path.resolve(input);
    let isDir = false;
    try {
      isDir = (await fs.stat(full)).isDirectory();
    } catch {
      // collectTargets names the problem.
    }
    const inputConfig = configIn(isDir ? full : path.dirname(full));
    const walked = await collectTargets([full], inputConfig.ignore, inputConfig.baseDir);
    problems.push(...walked.problems);
    for (const target of walked.targets) {
      if (seen.has(target.filePath)) continue;
      const config = configIn(path.dirname(target.filePath));
      if (!target.explicit && config !== inputConfig && config.ignore.length > 0) {
        let matcher = matchers.get(config);
        if (!matcher) matchers.set(config, (matcher = ignore().add([...config.ignore])));
        if (isIgnored(target.filePath, false, [{ baseDir: config.baseDir, matcher }])) continue;
      }
      seen.add(target.filePath);
      targets.push({ ...target, config });
    }
  }
  return { targets, problems };
}
