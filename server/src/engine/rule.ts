import type { NodePart } from './documents/source-document';
import type { Category, FixSafety, References, Severity } from './finding';
import type { ApiModel, OpenApiVersion } from './model/api-model';
import type { MemberVisitor, ReplayableVisitor } from './member-walk';
import type { SpecNode } from './spec-node';

export const DOCS_BASE_URL = 'https://github.com/healthlint/healthlint/blob/main/rules/openapi/';

export interface RuleMeta {
  /** kebab-case, names the problem; also the file name, the docs page and the fixture folder. */
  readonly id: string;
  readonly category: Category;
  readonly defaultSeverity: Severity;
  /** One line for listings, SARIF `shortDescription` and hovers. */
  readonly description: string;
  /** In the `recommended` preset (every rule is in `strict`). */
  readonly recommended: boolean;
  readonly formats: readonly OpenApiVersion[];
  readonly references: References;
  /** Safety of the fix this rule offers, if any. */
  readonly fixSafety?: FixSafety;
  /** JSON Schema of the options object and its defaults. */
  readonly options?: { readonly schema: object; readonly defaults: Readonly<Record<string, unknown>> };
  /** Reported by the engine itself (parse errors, broken `$ref`s), not by `check`. */
  readonly engineReported?: boolean;
}

/** Replace the whole text of a node, or the first occurrence of `find` inside it (keeps quotes and formatting). */
export interface ReplaceEditSpec {
  readonly node: SpecNode;
  readonly part?: NodePart;
  readonly find?: string;
  readonly newText: string;
}

/**
 * Add `key: value` as the last member of an object, laid out by the engine in the file's own style
 * (YAML block or flow, JSON; indentation and step of the file). `value` is plain data.
 */
export interface AddMemberEditSpec {
  readonly addMember: { readonly object: SpecNode; readonly key: string; readonly value: unknown };
}

export type EditSpec = ReplaceEditSpec | AddMemberEditSpec;

export interface FixSpec {
  readonly title: string;
  readonly safety: FixSafety;
  readonly edits: readonly EditSpec[];
}

export interface RuleReport {
  readonly node: SpecNode;
  /** Defaults to `key` for objects (points at `get:`), `value` for scalars (points at the URL or scope string). */
  readonly part?: NodePart;
  /**
   * Narrows the range to where the node's source spells this text (a token inside a description), when it does
   * verbatim; else the whole node. For placement only: never shown.
   */
  readonly within?: string;
  readonly message: string;
  /** Overrides the configured severity upward or downward for this occurrence (e.g. raised when PHI is involved). */
  readonly severity?: Severity;
  readonly fixes?: readonly FixSpec[];
  readonly related?: readonly { readonly node: SpecNode; readonly part?: NodePart; readonly message: string }[];
}

export interface RuleContext {
  readonly model: ApiModel;
  readonly options: Readonly<Record<string, unknown>>;
  report(report: RuleReport): void;
  /**
   * Registers a listener for the one shared walk over every value of every file (run after all `check`s).
   * A `ReplayableVisitor` is not called again for parts of a file that did not change since the language
   * server's previous lint of it: its observations there are replayed (the engine adds the rule id and options
   * to its cache key).
   */
  visitMembers<Observation>(visitor: MemberVisitor<Observation> | ReplayableVisitor<Observation>): void;
}

export interface OpenApiRule {
  readonly meta: RuleMeta;
  check(context: RuleContext): void;
}

/** Declares a rule; the identity function gives rule files a typed shape to fill in. */
export function defineRule(rule: OpenApiRule): OpenApiRule {
  return rule;
}

export function docsUrlOf(ruleId: string): string {
  return DOCS_BASE_URL + ruleId + '.md';
}
