import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionKind, DiagnosticSeverity, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { Finding, FixSafety, Severity } from '../engine/finding';

/** What a diagnostic carries in `data`, so code actions need no server-side cache (as ruff's server does). */
export interface DiagnosticData {
  readonly ruleId: string;
  readonly docsUrl: string;
  readonly fixes: readonly { readonly title: string; readonly safety: FixSafety; readonly edits: Readonly<Record<string, TextEdit[]>> }[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };

const fileUris = new Map<string, string>();

/** The `file:` URI of a path; memoised, since every diagnostic and fix edit of a spec names one of a few files. */
export function fileUri(filePath: string): string {
  let uri = fileUris.get(filePath);
  if (uri === undefined) {
    uri = pathToFileURL(filePath).toString();
    if (fileUris.size >= 10_000) fileUris.clear();
    fileUris.set(filePath, uri);
  }
  return uri;
}

/** A finding as an LSP diagnostic: rule id as `code`, its docs page as `codeDescription`, fixes in `data`. */
export function toDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = {
    ruleId: finding.ruleId,
    docsUrl: finding.docsUrl,
    fixes: finding.fixes.map((fix) => {
      const edits: Record<string, TextEdit[]> = {};
      for (const edit of fix.edits) (edits[fileUri(edit.uri)] ??= []).push({ range: { start: edit.range.start, end: edit.range.end }, newText: edit.newText });
      return { title: fix.title, safety: fix.safety, edits };
    }),
  };
  return {
    range: { start: finding.range.start, end: finding.range.end },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    codeDescription: { href: finding.docsUrl },
    source: 'healthlint',
    message: finding.message,
    ...(finding.related.length > 0
      ? { relatedInformation: finding.related.map((item) => ({ location: { uri: fileUri(item.uri), range: { start: item.range.start, end: item.range.end } }, message: item.message })) }
      : {}),
    data,
  };
}

export const SHOW_RULE_DOCS_COMMAND = 'healthlint.showRuleDocs';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.healthlint`;

type HealthlintDiagnostic = Diagnostic & { data: DiagnosticData };

function isHealthlintDiagnostic(diagnostic: Diagnostic): diagnostic is HealthlintDiagnostic {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  return diagnostic.source === 'healthlint' && typeof data?.ruleId === 'string' && Array.isArray(data.fixes);
}

/**
 * Code actions for the diagnostics in a request: each fix of the finding (unsafe ones say so), a suppression
 * comment above the line for YAML, and the rule's documentation, as vscode-eslint offers them.
 */
export function codeActionsFor(uri: string, lines: readonly string[], isYaml: boolean, diagnostics: readonly Diagnostic[], eol = '\n'): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics.filter(isHealthlintDiagnostic) as HealthlintDiagnostic[]) {
    const { ruleId, docsUrl, fixes } = diagnostic.data as DiagnosticData;
    for (const fix of fixes) {
      const action = CodeAction.create(fix.safety === 'safe' ? fix.title : `${fix.title} (changes the API contract)`, { changes: fix.edits }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (fixes.length === 1) action.isPreferred = true;
      actions.push(action);
    }
    if (isYaml) {
      const line = diagnostic.range.start.line;
      const indent = /^\s*/.exec(lines[line] ?? '')?.[0] ?? '';
      const disable = CodeAction.create(
        `Disable ${ruleId} for this line`,
        { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# healthlint-disable-next-line ${ruleId} -- reason${eol}` }] } },
        CodeActionKind.QuickFix,
      );
      disable.diagnostics = [diagnostic];
      actions.push(disable);
    }
    actions.push(CodeAction.create(`Show documentation for ${ruleId}`, { title: `Show documentation for ${ruleId}`, command: SHOW_RULE_DOCS_COMMAND, arguments: [docsUrl] }, CodeActionKind.QuickFix));
  }
  return actions;
}

/** `source.fixAll.healthlint`: every safe fix of the document's diagnostics, as one edit. */
export function fixAllAction(diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  const changes: Record<string, TextEdit[]> = {};
  for (const diagnostic of diagnostics.filter(isHealthlintDiagnostic) as HealthlintDiagnostic[]) {
    const safe = (diagnostic.data as DiagnosticData).fixes.find((fix) => fix.safety === 'safe');
    if (!safe) continue;
    for (const [uri, edits] of Object.entries(safe.edits)) (changes[uri] ??= []).push(...(edits as TextEdit[]));
  }
  if (Object.keys(changes).length === 0) return undefined;
  return CodeAction.create('Fix all safe healthlint problems', { changes }, FIX_ALL_KIND);
}
