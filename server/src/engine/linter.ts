import { parseSourceText, isOpenApiRoot, mayBeOpenApiText } from './documents/parse';
import type { LocateRequest, NodePart, SourceDocument } from './documents/source-document';
import { compareFindings, uniqueFindings, type Finding, type Fix, type RelatedLocation, type Severity, type TextEdit } from './finding';
import { buildApiModel } from './model/build-model';
import type { SchemaMemoCache } from './model/schema-memos';
import { docsUrlOf, type OpenApiRule, type RuleMeta, type RuleReport } from './rule';
import { lineBreakOf, type SourceRange } from './source-range';
import { isPlainObject, type SpecNode } from './spec-node';
import { loadSpecSet, type SpecLoadOptions } from './spec-set';
import { memberInsertion, type MemberInsertion } from './member-insertion';
import { walkMembers, type MemberVisitor, type WalkCache } from './member-walk';
import { isSuppressed, parseDirectives } from './suppressions';

/** A rule switched on, with the severity and options the config gives it. */
export interface ActiveRule {
  readonly rule: OpenApiRule;
  readonly severity: Severity;
  /** True when the config names a severity; then it wins over a rule's per-finding adjustment. */
  readonly severityIsExplicit: boolean;
  /** The `strict` preset: a finding the rule reports as `info` is shown as `warning`. */
  readonly infoAsWarning?: boolean;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Everything the engine needs to lint: which rules run and how files are loaded. */
export interface LintSettings {
  readonly rules: readonly ActiveRule[];
  /** Engine-reported rules (`parse-error`, `ref-unresolved`) with their configured severity, or absent when off. */
  readonly engineRules: ReadonlyMap<string, { readonly meta: RuleMeta; readonly severity: Severity }>;
  readonly publicEndpoints?: readonly string[];
  readonly load?: SpecLoadOptions;
  /** Observations of the shared member walk kept from the previous lint of each file (the language server's). */
  readonly walkCache?: WalkCache;
  /** The PHI search's per-schema results kept from earlier lints of the same spec (the language server's, one per open root). */
  readonly schemaMemos?: SchemaMemoCache;
}

export interface RuleFailure {
  readonly ruleId: string;
  readonly message: string;
}

export interface LintFileResult {
  readonly uri: string;
  /** `spec`: linted; `not-spec`: skipped (valid YAML/JSON without an `openapi`/`swagger` root); `invalid`: could not be parsed. */
  readonly status: 'spec' | 'not-spec' | 'invalid';
  readonly findings: readonly Finding[];
  /** Rules that threw; the other rules' findings are still reported. */
  readonly ruleFailures: readonly RuleFailure[];
  /** Every file of the spec (root first), so an editor can re-lint the root when a referenced file changes. */
  readonly files: readonly string[];
  /** Why a file with an `openapi`/`swagger` key is still not linted (an unsupported version). */
  readonly notSpecReason?: string;
  /** Referenced files that could not be read or parsed: an editor re-lints the root when one is created or mended. */
  readonly unreadFiles?: readonly string[];
}

interface PendingReport {
  readonly meta: RuleMeta;
  readonly severity: Severity;
  readonly report: RuleReport;
}

/**
 * Lints one file given as text. The same function serves the CLI, the language server and the tests.
 * `assumeSpec` makes a parse failure a finding even when the text does not look like OpenAPI
 * (for files the user named explicitly).
 */
export async function lintText(uri: string, text: string, settings: LintSettings, assumeSpec = false): Promise<LintFileResult> {
  // Files found by walking a folder are parsed only if they can be a spec: a Kubernetes manifest or a
  // hostile YAML file elsewhere in the repository costs nothing and cannot stall the run.
  if (!assumeSpec && !mayBeOpenApiText(text)) return { uri, status: 'not-spec', findings: [], ruleFailures: [], files: [uri] };
  const parsed = settings.load?.documents ? settings.load.documents.parse(uri, text) : parseSourceText(uri, text);
  if ('failure' in parsed) {
    const parseError = settings.engineRules.get('parse-error');
    if (!parseError) return { uri, status: 'invalid', findings: [], ruleFailures: [], files: [uri] };
    const finding = makeFinding(parseError.meta, parseError.severity, parsed.failure.message, uri, parsed.failure.range, [], []);
    return { uri, status: 'invalid', findings: [finding], ruleFailures: [], files: [uri] };
  }
  return lintDocument(parsed.document, settings);
}

/** Lints a parsed document: loads its `$ref`ed files, builds the model once, runs every active rule on it. */
export async function lintDocument(doc: SourceDocument, settings: LintSettings): Promise<LintFileResult> {
  if (!isOpenApiRoot(doc.value)) {
    const root = isPlainObject(doc.value) ? doc.value : {};
    const version = root['openapi'] ?? root['swagger'];
    // `openapi: 4.0.0` or `swagger: 1.2`: a description, but of a version no rule here is written for.
    const notSpecReason = version !== undefined && (typeof version === 'string' || typeof version === 'number') ? `its version ${String(version).slice(0, 20)} is not one healthlint reads (Swagger 2.0, OpenAPI 3.0 and 3.1)` : undefined;
    return { uri: doc.uri, status: 'not-spec', findings: [], ruleFailures: [], files: [doc.uri], ...(notSpecReason ? { notSpecReason } : {}) };
  }
  const specs = await loadSpecSet(doc, settings.load);
  const model = buildApiModel(specs, settings.publicEndpoints ? { publicEndpoints: settings.publicEndpoints } : {}, settings.schemaMemos?.begin(specs.files));
  const ruleFailures: RuleFailure[] = [];
  const runs: { id: string; reports: PendingReport[]; failed: boolean }[] = [];
  const visitors: MemberVisitor[] = [];
  const visitorOwner = new Map<MemberVisitor, (typeof runs)[number]>();
  const fail = (run: (typeof runs)[number], error: unknown) => {
    if (run.failed) return;
    run.failed = true;
    ruleFailures.push({ ruleId: run.id, message: error instanceof Error ? error.message : String(error) });
  };
  for (const active of settings.rules) {
    if (!active.rule.meta.formats.includes(model.version)) continue;
    const run = { id: active.rule.meta.id, reports: [] as PendingReport[], failed: false };
    runs.push(run);
    try {
      active.rule.check({
        model,
        options: active.options,
        report: (report) => {
          const reported = active.severityIsExplicit ? active.severity : report.severity ?? active.severity;
          const severity = active.infoAsWarning && reported === 'info' && !active.severityIsExplicit ? 'warning' : reported;
          run.reports.push({ meta: active.rule.meta, severity, report });
        },
        visitMembers: (visitor) => {
          const registered: MemberVisitor =
            'cacheKey' in visitor
              ? ({
                  cacheKey: `${run.id}\u0000${JSON.stringify(active.options)}\u0000${visitor.cacheKey}`,
                  member: visitor.member.bind(visitor),
                  ...(visitor.done ? { done: visitor.done.bind(visitor) } : {}),
                  ...(visitor.only ? { only: visitor.only } : {}),
                } as MemberVisitor)
              : (visitor as MemberVisitor);
          visitors.push(registered);
          visitorOwner.set(registered, run);
        },
      });
    } catch (error) {
      fail(run, error);
    }
  }
  const refRule = settings.engineRules.get('ref-unresolved');
  const refVisitor = refRule ? specs.refCheckVisitor() : undefined;
  walkMembers(
    specs.files,
    [...visitors.filter((visitor) => !visitorOwner.get(visitor)!.failed), ...(refVisitor ? [refVisitor] : [])],
    (visitor, error) => {
      const run = visitorOwner.get(visitor);
      if (run) fail(run, error);
      else ruleFailures.push({ ruleId: 'ref-unresolved', message: error instanceof Error ? error.message : String(error) });
    },
    settings.walkCache,
  );
  const pending: PendingReport[] = runs.filter((run) => !run.failed).flatMap((run) => run.reports);
  if (refRule) {
    for (const problem of specs.refProblems()) {
      pending.push({ meta: refRule.meta, severity: refRule.severity, report: { node: problem.node, part: 'value', message: problem.message } });
    }
  }
  const findings = resolveFindings(pending, (doc) => specs.currentDocument(doc));
  // Problems of files that parsed anyway (a repeated YAML key, a tab in indentation) are parse errors too.
  const parseError = settings.engineRules.get('parse-error');
  if (parseError) {
    for (const file of specs.files) for (const problem of file.problems ?? []) findings.push(makeFinding(parseError.meta, parseError.severity, problem.message, file.uri, problem.range, [], []));
  }
  settings.schemaMemos?.end(specs.resolvedTargets());
  // Directives are YAML comments; JSON has none (a `#` in a JSON string is text).
  const directivesByUri = new Map(
    specs.files.map((file) => [file.uri, file.format === 'json' ? [] : parseDirectives(file.text, file.lines, (offset) => file.isInScalar?.(offset) ?? false)]),
  );
  // Two roots sharing a schema file would report its nodes twice: one finding per rule, place and message.
  const kept = uniqueFindings(findings.filter((finding) => !isSuppressed(finding, directivesByUri.get(finding.uri) ?? [])));
  const unreadFiles = specs.unreadFiles();
  return { uri: doc.uri, status: 'spec', findings: kept.sort(compareFindings), ruleFailures, files: specs.files.map((file) => file.uri), ...(unreadFiles.length > 0 ? { unreadFiles } : {}) };
}

function makeFinding(meta: RuleMeta, severity: Severity, message: string, uri: string, range: SourceRange, fixes: Fix[], related: RelatedLocation[]): Finding {
  return { ruleId: meta.id, category: meta.category, severity, message, uri, range, references: meta.references, docsUrl: docsUrlOf(meta.id), fixes, related };
}

function defaultPart(node: SpecNode): NodePart {
  return isPlainObject(node.value) || Array.isArray(node.value) ? 'key' : 'value';
}

/** Fixes are written with `\n`; a file with Windows line endings (its first line break is `\r\n`) gets those instead. */
function inLineEndingsOf(doc: SourceDocument, text: string): string {
  return text.includes('\n') && lineBreakOf(doc.text) === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
}

/** The first place inside `range` where the source spells `within` verbatim, else `range` (see `RuleReport.within`). */
function narrowed(doc: SourceDocument, range: SourceRange, within: string | undefined): SourceRange {
  if (!within) return range;
  const offset = doc.text.indexOf(within, range.startOffset);
  return offset === -1 || offset + within.length > range.endOffset ? range : doc.lines.rangeOf(offset, offset + within.length);
}

/** Turns rule reports into findings with ranges, locating all nodes of one file in a single pass. */
function resolveFindings(pending: readonly PendingReport[], currentDocument: (doc: SourceDocument) => SourceDocument): Finding[] {
  const requestsByDoc = new Map<SourceDocument, LocateRequest[]>();
  const ask = (node: SpecNode, part: NodePart | undefined) => {
    const doc = currentDocument(node.doc);
    let requests = requestsByDoc.get(doc);
    if (!requests) requestsByDoc.set(doc, (requests = []));
    requests.push({ path: node.path, part: part ?? defaultPart(node) });
    return { doc, index: requests.length - 1 };
  };
  const handles = pending.map(({ report }) => ({
    main: ask(report.node, report.part),
    related: (report.related ?? []).map((related) => ask(related.node, related.part)),
    edits: (report.fixes ?? []).map((fix) => fix.edits.map((edit) => ('addMember' in edit ? undefined : ask(edit.node, edit.part ?? 'value')))),
  }));
  const located = new Map([...requestsByDoc].map(([doc, requests]) => [doc, doc.locateAll(requests)]));
  // By the object's value, then by its path and what is added.
  const insertions = new Map<object, Map<string, MemberInsertion | undefined>>();
  const rangeOf = (handle: { doc: SourceDocument; index: number }) => located.get(handle.doc)![handle.index]!.range;

  return pending.map(({ meta, severity, report }, index) => {
    const handle = handles[index]!;
    const fixes: Fix[] = (report.fixes ?? []).flatMap((fix, fixIndex) => {
      const edits = fix.edits.map((edit, editIndex): TextEdit | undefined => {
        if ('addMember' in edit) {
          const { object, key, value } = edit.addMember;
          const members = isPlainObject(object.value) ? Object.keys(object.value) : [];
          const last = members[members.length - 1];
          const objectDoc = currentDocument(object.doc);
          // Many fixes add the same member to the same object (one bearer scheme for every unauthenticated operation).
          let sameObject = insertions.get(object.value as object);
          if (!sameObject) insertions.set(object.value as object, (sameObject = new Map()));
          // The path too: a YAML alias puts one object at two places.
          const insertionKey = `${object.path.join('\u0000')}\u0001${last}\u0000${key}\u0000${JSON.stringify(value)}`;
          let insertion = sameObject.get(insertionKey);
          if (insertion === undefined && !sameObject.has(insertionKey)) {
            insertion = last === undefined ? undefined : memberInsertion(objectDoc, object.path, last, key, value);
            sameObject.set(insertionKey, insertion);
          }
          return insertion ? { uri: objectDoc.uri, range: objectDoc.lines.rangeOf(insertion.offset, insertion.offset), newText: inLineEndingsOf(objectDoc, insertion.text) } : undefined;
        }
        const editHandle = handle.edits[fixIndex]![editIndex]!;
        const range = rangeOf(editHandle);
        if (edit.find === undefined) return { uri: editHandle.doc.uri, range, newText: inLineEndingsOf(editHandle.doc, edit.newText) };
        const offset = editHandle.doc.text.indexOf(edit.find, range.startOffset);
        if (offset === -1 || offset + edit.find.length > range.endOffset) return undefined;
        return { uri: editHandle.doc.uri, range: editHandle.doc.lines.rangeOf(offset, offset + edit.find.length), newText: inLineEndingsOf(editHandle.doc, edit.newText) };
      });
      return edits.every((edit) => edit !== undefined) ? [{ title: fix.title, safety: fix.safety, edits: edits as TextEdit[] }] : [];
    });
    const related = (report.related ?? []).map((item, relatedIndex) => ({
      uri: handle.related[relatedIndex]!.doc.uri,
      range: rangeOf(handle.related[relatedIndex]!),
      message: item.message,
    }));
    return makeFinding(meta, severity, report.message, handle.main.doc.uri, narrowed(handle.main.doc, rangeOf(handle.main), report.within), fixes, related);
  });
}
