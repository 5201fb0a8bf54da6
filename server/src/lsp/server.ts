import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  MarkupKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Hover,
} from 'vscode-languageserver/node';
import { allRules, ruleById } from '../../../rules/index';
import { CONFIG_FILE_NAMES, ConfigError, findConfigFile, loadConfigFile, resolveConfig, type ResolvedConfig } from '../engine/config';
import { DocumentCache } from '../engine/documents/document-cache';
import { WalkCache } from '../engine/member-walk';
import { SchemaMemoCache } from '../engine/model/schema-memos';
import { lintText, type LintFileResult } from '../engine/linter';
import { collectTargetsWithConfigs } from '../workspace/file-walker';
import { docsSection, ruleDocs } from '../rule-docs';
import { codeActionsFor, fileUri, FIX_ALL_KIND, fixAllAction, SHOW_RULE_DOCS_COMMAND, toDiagnostic, type DiagnosticData } from './finding-to-lsp';
import { readTextFile } from '../engine/documents/read-text';
import { lineBreakOf } from '../engine/source-range';

/** A finding explained where it is: the message, how to fix it (from the rule's page), the quick fixes on offer. */
function hoverText(diagnostic: Diagnostic): string {
  const data = diagnostic.data as DiagnosticData;
  const docs = ruleDocs(data.ruleId);
  const howToFix = docs ? docsSection(docs, 'How to fix') : undefined;
  // Editors show the diagnostic's message beside the hover; the hover adds what the rule is about.
  const description = ruleById(data.ruleId)?.meta.description ?? diagnostic.message;
  return [
    `**healthlint ${data.ruleId}**: ${description}`,
    ...(howToFix ? [`**How to fix.** ${howToFix}`] : []),
    ...(data.fixes.length > 0 ? [`Quick fix: ${data.fixes.map((fix) => `${fix.title} (${fix.safety})`).join('; ')}.`] : []),
    `[Rule documentation](${data.docsUrl})`,
  ].join('\n\n');
}

const LINT_WORKSPACE_COMMAND = 'healthlint.lintWorkspace';

/** A lint result as diagnostics per file: every file of the spec gets an entry (empty ones clear old findings). */
function diagnosticsByFile(rootUri: string, result: LintFileResult): Map<string, Diagnostic[]> {
  const byFile = new Map<string, Diagnostic[]>(result.files.map((file) => [fileUri(file), []]));
  if (!byFile.has(rootUri)) byFile.set(rootUri, []);
  for (const finding of result.findings) {
    const target = fileUri(finding.uri);
    let list = byFile.get(target);
    if (!list) byFile.set(target, (list = []));
    list.push(toDiagnostic(finding));
  }
  return byFile;
}

/** Quiet time after the last keystroke before a re-lint; each new change restarts it. */
const LINT_DELAY_MS = 150;

/**
 * The language server: a thin adapter from LSP to the engine's `lintText`. Diagnostics of a spec are
 * published for every file they are written in (referenced component files too), merged over all open roots.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const configs = new Map<string, ResolvedConfig>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** root document uri → (file uri → diagnostics found while linting that root). */
  const resultsByRoot = new Map<string, Map<string, Diagnostic[]>>();
  /** root document uri → the files its last lint read or tried to read (a missing or broken `$ref` target). */
  const filesByRoot = new Map<string, Set<string>>();
  const reportedRuleFailures = new Set<string>();
  /** The last parse of each linted file: a keystroke re-parses only what it changed. */
  const parsedDocuments = new DocumentCache();
  // What the shared member walk saw in each file, so an edit re-walks only the operation or component it is in.
  const walkCache = new WalkCache();
  // The PHI search's per-schema results, per open root (see SchemaMemoCache).
  const schemaMemos = new Map<string, SchemaMemoCache>();
  let watchFiles = false;
  /** From the client's settings: a config file for every document, and whether to lint while typing or on save. */
  let configPath: string | undefined;
  let lintOnType = true;
  let workspaceFolders: string[] = [];

  const log = (message: string) => connection.console.log(`healthlint: ${message}`);
  /** The file path of a `file:` URI, or undefined for one Node cannot map (`file://otherhost/...`, an encoded `/`). */
  const filePathOf = (uri: string): string | undefined => {
    if (!uri.startsWith('file:')) return undefined;
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  };

  function configFor(filePath: string): ResolvedConfig {
    return configIn(path.dirname(filePath));
  }

  /** The config that applies in a folder: the client's `configPath`, else the nearest config file upwards. */
  function configIn(folder: string): ResolvedConfig {
    const found = configPath ?? findConfigFile(folder, existsSync);
    const key = found ?? '<default>';
    let config = configs.get(key);
    if (!config) {
      try {
        config = found ? loadConfigFile(found, allRules) : resolveConfig({}, allRules, folder);
      } catch (error) {
        // A broken config must not silence the editor: report it once and lint with the defaults.
        if (error instanceof ConfigError) void connection.window.showWarningMessage(`healthlint: ${error.message}; using the recommended rules.`);
        config = resolveConfig({}, allRules, folder);
      }
      configs.set(key, config);
    }
    return config;
  }

  /**
   * A file's diagnostics over all open roots. A file shared by two open specs (or a spec that is itself `$ref`ed) is
   * linted with each: one diagnostic per rule, place and message, as the CLI reports it.
   */
  function diagnosticsOf(uri: string): Diagnostic[] {
    const seen = new Set<string>();
    return [...resultsByRoot.values()]
      .flatMap((byFile) => byFile.get(uri) ?? [])
      .filter((diagnostic) => {
        const { start, end } = diagnostic.range;
        const key = `${String(diagnostic.code)}\u0000${start.line}:${start.character}-${end.line}:${end.character}\u0000${diagnostic.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }

  function publish(fileUris: Iterable<string>): void {
    for (const uri of new Set(fileUris)) {
      const diagnostics = diagnosticsOf(uri);
      // The version lets a client (and the latency benchmark) tell which edit the diagnostics belong to.
      const version = documents.get(uri)?.version;
      void connection.sendDiagnostics({ uri, diagnostics, ...(version !== undefined ? { version } : {}) });
    }
  }

  function setResults(rootUri: string, byFile: Map<string, Diagnostic[]> | undefined, result?: LintFileResult): void {
    const before = resultsByRoot.get(rootUri);
    if (byFile) resultsByRoot.set(rootUri, byFile);
    else resultsByRoot.delete(rootUri);
    if (result) filesByRoot.set(rootUri, new Set([...result.files, ...(result.unreadFiles ?? [])].map(fileUri)));
    else filesByRoot.delete(rootUri);
    publish([...(before?.keys() ?? []), ...(byFile?.keys() ?? []), rootUri]);
  }

  function memosFor(filePath: string): SchemaMemoCache {
    let memos = schemaMemos.get(filePath);
    if (!memos) schemaMemos.set(filePath, (memos = new SchemaMemoCache()));
    return memos;
  }

  async function lint(uri: string): Promise<void> {
    const document = documents.get(uri);
    const filePath = filePathOf(uri);
    if (!document || filePath === undefined) return;
    const version = document.version;
    const config = configFor(filePath);
    // Referenced files are read from the editor when open there, so unsaved edits count.
    const readText = (referenced: string) => documents.get(fileUri(referenced))?.getText();
    const text = document.getText();
    const maxBytes = config.settings.load?.maxFileBytes ?? 100 * 1024 * 1024;
    if (text.length > maxBytes) {
      // Same limit as the CLI (maxFileSizeMB): the editor stays responsive and says why there are no findings.
      log(`${path.basename(filePath)} not linted: larger than ${Math.round(maxBytes / 1048576)} MB (maxFileSizeMB in .healthlint.yaml)`);
      return setResults(uri, undefined);
    }
    try {
      const result = await lintText(filePath, text, { ...config.settings, load: { ...config.settings.load, readText, documents: parsedDocuments }, walkCache, schemaMemos: memosFor(filePath) });
      // Never publish diagnostics older than the document: a newer edit has its own lint scheduled.
      if (documents.get(uri)?.version !== version) return;
      for (const failure of result.ruleFailures) {
        if (reportedRuleFailures.has(failure.ruleId)) continue;
        reportedRuleFailures.add(failure.ruleId);
        log(`rule ${failure.ruleId} failed (reported once): ${failure.message}`);
      }
      if (result.status !== 'spec' && result.findings.length === 0) return setResults(uri, undefined);
      setResults(uri, diagnosticsByFile(uri, result), result);
    } catch (error) {
      // Whatever a file contains, the server keeps serving the others; the log names the file, not its content.
      log(`linting ${path.basename(filePath)} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  function schedule(uri: string): void {
    clearTimeout(timers.get(uri));
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        // Nothing a file contains may stop the server: a failure outside lint's own guard is logged, not thrown.
        lint(uri).catch((error: unknown) => log(`linting failed: ${error instanceof Error ? error.message : String(error)}`));
      }, LINT_DELAY_MS),
    );
  }

  /**
   * Open roots whose last lint read `fileUriChanged`, or tried to and failed (missing, broken): editing a shared schema,
   * or creating or mending a referenced file, re-lints the specs using it.
   */
  function dependentRoots(fileUriChanged: string): string[] {
    return [...filesByRoot].filter(([root, files]) => root !== fileUriChanged && files.has(fileUriChanged)).map(([root]) => root);
  }

  connection.onInitialize((params) => {
    watchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const options = (params.initializationOptions ?? {}) as { configPath?: unknown; run?: unknown };
    if (typeof options.configPath === 'string' && options.configPath !== '') configPath = options.configPath;
    lintOnType = options.run !== 'onSave';
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri).concat(params.rootUri && !params.workspaceFolders?.length ? [params.rootUri] : []).flatMap((uri) => filePathOf(uri) ?? []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: [SHOW_RULE_DOCS_COMMAND, LINT_WORKSPACE_COMMAND] },
        hoverProvider: true,
      },
      serverInfo: { name: 'healthlint' },
    };
  });

  connection.onInitialized(() => {
    if (watchFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [...CONFIG_FILE_NAMES.map((name) => ({ globPattern: `**/${name}` })), { globPattern: '**/*.{yaml,yml,json}' }],
      });
    }
  });

  documents.onDidOpen((event) => schedule(event.document.uri));
  documents.onDidChangeContent((event) => {
    if (!lintOnType) return;
    schedule(event.document.uri);
    for (const root of dependentRoots(event.document.uri)) schedule(root);
  });
  documents.onDidSave((event) => {
    schedule(event.document.uri);
    for (const root of dependentRoots(event.document.uri)) schedule(root);
  });
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    const closedPath = filePathOf(event.document.uri);
    if (closedPath !== undefined) {
      parsedDocuments.forget(closedPath);
      walkCache.forget(closedPath);
      schemaMemos.delete(closedPath);
    }
    setResults(event.document.uri, undefined);
    // Roots that used the closed file's unsaved text now read it from disk.
    for (const root of dependentRoots(event.document.uri)) schedule(root);
  });

  connection.onDidChangeWatchedFiles((params) => {
    const configChanged = params.changes.some(
      (change) => CONFIG_FILE_NAMES.includes(path.basename(change.uri)) || (configPath !== undefined && filePathOf(change.uri) === path.resolve(configPath)),
    );
    if (configChanged) {
      configs.clear();
      for (const document of documents.all()) schedule(document.uri);
      return;
    }
    for (const change of params.changes) for (const root of dependentRoots(change.uri)) schedule(root);
  });

  connection.onCodeAction((params): CodeAction[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const only = params.context.only;
    if (only?.some((kind) => FIX_ALL_KIND.startsWith(kind) && kind !== CodeActionKind.QuickFix)) {
      const diagnostics = resultsByRoot.get(params.textDocument.uri)?.get(params.textDocument.uri) ?? params.context.diagnostics;
      const fixAll = fixAllAction(diagnostics);
      return fixAll ? [fixAll] : [];
    }
    const isYaml = !/\.json$/i.test(params.textDocument.uri) && !document.getText().trimStart().startsWith('{');
    // Clients that do not send `data` back get it from the published diagnostic with the same rule and range.
    const published = diagnosticsOf(params.textDocument.uri);
    const sameRange = (a: Diagnostic, b: Diagnostic) =>
      a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
    const withData = params.context.diagnostics.map((diagnostic) =>
      diagnostic.data !== undefined ? diagnostic : (published.find((candidate) => candidate.code === diagnostic.code && sameRange(candidate, diagnostic)) ?? diagnostic),
    );
    const text = document.getText();
    // The suppression comment is a new line: it ends like the document's own lines.
    return codeActionsFor(params.textDocument.uri, text.split(/\r?\n/), isYaml, withData, lineBreakOf(text));
  });

  connection.onHover((params): Hover | null => {
    const { line, character } = params.position;
    const contains = (diagnostic: Diagnostic) => {
      const { start, end } = diagnostic.range;
      return (line > start.line || (line === start.line && character >= start.character)) && (line < end.line || (line === end.line && character <= end.character));
    };
    const here = diagnosticsOf(params.textDocument.uri).filter(contains);
    if (here.length === 0) return null;
    return { contents: { kind: MarkupKind.Markdown, value: here.map(hoverText).join('\n\n---\n\n') } };
  });

  /** Lints every spec of the workspace folders (honouring .gitignore and config ignores) and fills the Problems panel. */
  async function lintWorkspace(): Promise<number> {
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('healthlint', 0, 'Finding OpenAPI files', true);
    let linted = 0;
    try {
      for (const folder of workspaceFolders) {
        // As the CLI walks it: the folder's config, and each file's nearest config (its ignores and its rules).
        const { targets } = await collectTargetsWithConfigs([folder], configIn);
        for (const [index, target] of targets.entries()) {
          if (progress.token.isCancellationRequested) return linted;
          progress.report(Math.round((index / Math.max(targets.length, 1)) * 100), path.relative(folder, target.filePath));
          const uri = fileUri(target.filePath);
          // Open documents are linted from the editor's text by their own schedule.
          if (documents.get(uri)) continue;
          try {
            const text = await readTextFile(target.filePath);
            const result = await lintText(target.filePath, text, target.config.settings);
            if (result.status === 'not-spec') continue;
            setResults(uri, diagnosticsByFile(uri, result), result);
            linted++;
          } catch (error) {
            log(`linting ${path.basename(target.filePath)} failed: ${error instanceof Error ? error.message : String(error)}`);
          }
        }
      }
    } finally {
      progress.done();
    }
    return linted;
  }

  connection.onExecuteCommand(async (params) => {
    if (params.command === SHOW_RULE_DOCS_COMMAND && typeof params.arguments?.[0] === 'string') {
      await connection.window.showDocument({ uri: params.arguments[0], external: true });
    }
    if (params.command === LINT_WORKSPACE_COMMAND) return lintWorkspace();
    return undefined;
  });

  documents.listen(connection);
  connection.listen();
}

