import type { SourceRange } from './source-range';

export type Severity = 'error' | 'warning' | 'info';

/** What kind of weakness a finding is; `syntax` is for files that cannot be read as a spec at all. */
export type Category = 'authentication' | 'transport' | 'scope' | 'phi-exposure' | 'availability' | 'secrets' | 'crypto' | 'syntax';

/** Where a weakness is catalogued and which legal clause it touches. */
export interface References {
  readonly cwe: readonly number[];
  /** OWASP API Security Top 10 2023 ids, e.g. `API2:2023`. */
  readonly owaspApi: readonly string[];
  /** HIPAA Security Rule paragraphs, e.g. `164.312(d)`. */
  readonly hipaa: readonly string[];
  /** GDPR articles, e.g. `Art. 32(1)(a)`. */
  readonly gdpr: readonly string[];
}

/** `safe` fixes keep the API's meaning and may be applied in bulk; `unsafe` ones change the contract and are only offered. */
export type FixSafety = 'safe' | 'unsafe';

export interface TextEdit {
  readonly uri: string;
  readonly range: SourceRange;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly safety: FixSafety;
  readonly edits: readonly TextEdit[];
}

export interface RelatedLocation {
  readonly uri: string;
  readonly range: SourceRange;
  readonly message: string;
}

/** One problem at one place: the unit every front end (CLI, language server, SARIF) consumes. */
export interface Finding {
  readonly ruleId: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly message: string;
  /** The file where the offending node is written (not necessarily the root spec). */
  readonly uri: string;
  readonly range: SourceRange;
  readonly references: References;
  readonly docsUrl: string;
  readonly fixes: readonly Fix[];
  readonly related: readonly RelatedLocation[];
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function severityRank(severity: Severity): number {
  return SEVERITY_ORDER[severity];
}

/** Deterministic order: file, then position, then rule id, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return (
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** Identity of a finding: the same rule, place and message from two roots that share a file is one finding. */
export function findingKey(finding: Finding): string {
  return `${finding.ruleId}\u0000${finding.uri}\u0000${finding.range.startOffset}\u0000${finding.range.endOffset}\u0000${finding.message}`;
}

/** Findings without repeats, first occurrence kept. */
export function uniqueFindings(findings: Iterable<Finding>): Finding[] {
  const unique = new Map<string, Finding>();
  for (const finding of findings) {
    const key = findingKey(finding);
    if (!unique.has(key)) unique.set(key, finding);
  }
  return [...unique.values()];
}
