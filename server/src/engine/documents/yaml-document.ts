import type { YAMLNode, YamlParserResult } from '@stoplight/yaml';
import { quotableFieldName } from '../message-safety';
import { LineIndex, type SourceRange } from '../source-range';
import type { DocumentProblem, LocateRequest, Located, ParseResult, SourceDocument } from './source-document';

/** `@stoplight/yaml` node kinds (its `Kind` enum), kept here so the hot locate loop needs no import. */
export const SCALAR = 0;
export const MAPPING = 1;
export const MAP = 2;
export const SEQ = 3;
export const ANCHOR_REF = 4;

export type AstNode = YAMLNode & {
  mappings?: AstMapping[];
  items?: (AstNode | null)[];
  value?: unknown;
  anchorId?: string;
  /** How many of the document's `shifts` the stored positions already include (absent: none). */
  epoch?: number;
};

/**
 * Positions after `at` moved by `delta`: an edit an incremental re-parse did not apply to every node of the AST
 * (most nodes follow the edit; rewriting them all would cost more than the re-parse). Applied when read.
 */
export interface PositionShift {
  readonly at: number;
  readonly delta: number;
}

/** A stored position in current coordinates: the shifts recorded after the node's epoch, applied in order. */
export function shiftedPosition(position: number, epoch: number, shifts: readonly PositionShift[]): number {
  for (let index = epoch; index < shifts.length; index++) if (position > shifts[index]!.at) position += shifts[index]!.delta;
  return position;
}

export type AstMapping = { key: AstNode; value: AstNode | null; startPosition: number; endPosition: number; kind: number; parent: AstNode | null; epoch?: number };

/** Loaded on first use: a run over JSON specs never pays for it. */
export function yamlLibrary(): typeof import('@stoplight/yaml') {
  return require('@stoplight/yaml') as typeof import('@stoplight/yaml');
}

export class YamlSourceDocument implements SourceDocument {
  readonly format = 'yaml' as const;
  readonly lines: LineIndex;

  /** `ast` is shared with the document an incremental re-parse makes from this one (see `yaml-reparse.ts`). */
  constructor(
    readonly uri: string,
    readonly text: string,
    readonly value: unknown,
    readonly ast: AstNode | undefined,
    readonly shifts: readonly PositionShift[] = [],
    readonly problems: readonly DocumentProblem[] = [],
  ) {
    this.lines = new LineIndex(text);
  }

  /** Where a node of `ast` starts in `text`. */
  startOf(node: { startPosition: number; epoch?: number }): number {
    return shiftedPosition(node.startPosition, node.epoch ?? 0, this.shifts);
  }

  endOf(node: { endPosition: number; epoch?: number }): number {
    return shiftedPosition(node.endPosition, node.epoch ?? 0, this.shifts);
  }

  /** Whether `offset` lies inside a scalar (a block scalar's text, a quoted string): a `#` there is not a comment. */
  isInScalar(offset: number): boolean {
    let node: AstNode | null | undefined = this.ast;
    for (let depth = 0; node && depth < 10_000; depth++) {
      if (offset < this.startOf(node) || offset >= this.endOf(node)) return false;
      if (node.kind === SCALAR) return true;
      let next: AstNode | null | undefined;
      if (node.kind === MAP) {
        for (const mapping of node.mappings ?? []) {
          if (offset < this.startOf(mapping) || offset >= this.endOf(mapping)) continue;
          next = mapping.key && offset >= this.startOf(mapping.key) && offset < this.endOf(mapping.key) ? mapping.key : mapping.value;
          break;
        }
      } else if (node.kind === SEQ) {
        next = (node.items ?? []).find((item) => item && offset >= this.startOf(item) && offset < this.endOf(item));
      }
      node = next;
    }
    return false;
  }

  locateAll(requests: readonly LocateRequest[]): Located[] {
    return requests.map((request) => this.locate(request));
  }

  private locate(request: LocateRequest): Located {
    let node = this.ast;
    let keyNode: AstNode | undefined;
    let valueNode: AstNode | undefined = node;
    let exact = true;
    for (const segment of request.path) {
      const container = resolveAnchor(node);
      const found = container ? childOf(container, String(segment)) : undefined;
      if (!found) {
        exact = false;
        break;
      }
      keyNode = found.key;
      valueNode = found.value ?? undefined;
      node = found.value ?? undefined;
      if (!node && !keyNode) {
        exact = false;
        break;
      }
    }
    const useKey = (request.part === 'key' || !exact || !valueNode) && keyNode;
    return { range: this.rangeOfNode(useKey ? keyNode : valueNode), exact };
  }

  private rangeOfNode(node: AstNode | undefined): SourceRange {
    if (!node) return this.lines.rangeOf(0, 0);
    let start = this.startOf(node);
    // The parser starts an alias after its `*`: the whole `*name` is what the author wrote there.
    if (node.kind === ANCHOR_REF && start > 0 && this.text.charCodeAt(start - 1) === 0x2a) start--;
    return this.lines.rangeOf(start, Math.max(this.endOf(node), start));
  }
}

/** `*alias` nodes stand for their anchored node. */
function resolveAnchor(node: AstNode | undefined): AstNode | undefined {
  for (let hops = 0; hops < 32 && node && node.kind === ANCHOR_REF; hops++) node = (node.value as AstNode | undefined) ?? undefined;
  return node;
}

/** A member of a mapping (the last one wins, as in the parsed value; `<<` merges are searched after own keys) or an item of a sequence. */
function childOf(container: AstNode, segment: string): { key?: AstNode; value: AstNode | null } | undefined {
  if (container.kind === SEQ) {
    const index = Number(segment);
    const item = Number.isInteger(index) ? container.items?.[index] : undefined;
    return item === undefined ? undefined : { value: item };
  }
  if (container.kind !== MAP) return undefined;
  let found: { key?: AstNode; value: AstNode | null } | undefined;
  const merges: AstNode[] = [];
  for (const mapping of container.mappings ?? []) {
    const key = mapping.key;
    if (!key || key.kind !== SCALAR) continue;
    if (String(key.value) === segment) found = { key, value: mapping.value };
    else if (key.value === '<<' && mapping.value) merges.push(mapping.value);
  }
  if (found) return found;
  for (const merge of merges) {
    const sources = merge.kind === SEQ ? (merge.items ?? []) : [merge];
    for (const source of sources) {
      const resolved = resolveAnchor(source ?? undefined);
      const inherited = resolved ? childOf(resolved, segment) : undefined;
      if (inherited) return inherited;
    }
  }
  return undefined;
}

/**
 * Parses YAML with `@stoplight/yaml` (Spectral's parser, a js-yaml derivative that keeps an AST with offsets):
 * about four times faster than a CST-preserving parser on multi-megabyte specs. Merge keys are honoured,
 * duplicate keys are tolerated (the last wins, as in most tools), and the first error becomes the parse failure.
 */
export function parseYamlDocument(uri: string, text: string): ParseResult {
  const lines = new LineIndex(text);
  if (aliasExpansionTooLarge(text)) {
    return { failure: { message: 'Invalid YAML: aliases expand to more nodes than any real spec has (an alias bomb?); not parsed', range: lines.rangeOf(0, Math.min(1, text.length)) } };
  }
  let result: YamlParserResult<unknown>;
  try {
    result = yamlLibrary().parseWithPointers(text, YAML_OPTIONS);
  } catch (error) {
    // The parser's own failures (a RangeError for depth, a TypeError on `!!binary`) are not YAML messages for users.
    const message = error instanceof RangeError ? 'nesting too deep to parse' : error instanceof TypeError ? 'a construct the parser cannot read (a !!binary or other unusual tag?)' : describeYamlError((error as Error).message);
    return { failure: { message: `Invalid YAML: ${message}`, range: lines.rangeOf(0, Math.min(1, text.length)) } };
  }
  const errors = result.diagnostics.filter((diagnostic) => diagnostic.severity === 0 && diagnostic.message !== DUPLICATE_KEY);
  // "Expected a single document" comes first, at 1:1, whenever the parser gave up early (a stray `- item`, an `@`):
  // the error that says where and why comes after it.
  const firstError = errors.find((diagnostic) => !SINGLE_DOCUMENT.test(diagnostic.message)) ?? errors[0];
  if (firstError) {
    let start = lines.offsetAt(firstError.range.start);
    // A real second document: point at its `---`.
    const separator = start === 0 && SINGLE_DOCUMENT.test(firstError.message) ? /\n(---|\.\.\.)(?=[ \t]|\r?\n|$)/.exec(text) : null;
    if (separator && text.slice(0, separator.index).trim() !== '') start = separator.index + 1;
    let end = separator ? start + 3 : Math.max(lines.offsetAt(firstError.range.end), start);
    // An empty range is invisible in editors and SARIF viewers: cover the character at the error.
    if (end === start && start < text.length && text[start] !== '\n') end = start + 1;
    return { failure: { message: `Invalid YAML: ${describeYamlError(firstError.message)}`, range: lines.rangeOf(start, end) } };
  }
  // A key written twice is invalid YAML, but the rest of the file is fine: lint it, and report each repeat.
  const problems: DocumentProblem[] = result.diagnostics
    .filter((diagnostic) => diagnostic.message === DUPLICATE_KEY)
    .map((diagnostic): DocumentProblem => {
      const written = String(diagnostic.path?.[diagnostic.path.length - 1] ?? '');
      // Field names and path templates are quoted; anything else might be data an author typed.
      const key = quotableFieldName(written) ?? (/^\/[\w/{}.$-]{0,80}$/.test(written) && !/\d{3,}/.test(written) ? written : undefined);
      const start = lines.offsetAt(diagnostic.range.start);
      return {
        message: `Duplicate key${key ? ` '${key}'` : ''}: YAML allows a key once per mapping, and tools disagree on which value wins (healthlint reads the last one, so the first is ignored).`,
        range: lines.rangeOf(start, Math.max(lines.offsetAt(diagnostic.range.end), start + 1)),
      };
    });
  // A tab in indentation is forbidden by YAML; this parser reads on with a guessed structure (a server's `url` may land
  // at the root): say so once per line, since findings below it may be missing or misplaced.
  const tabLines = new Set<number>();
  for (const diagnostic of result.diagnostics) {
    if (diagnostic.severity === 0 || !/tabs/i.test(diagnostic.message) || tabLines.has(diagnostic.range.start.line)) continue;
    const start = lines.offsetAt(diagnostic.range.start);
    const lineStart = lines.offsetAt({ line: diagnostic.range.start.line, character: 0 });
    const indentation = /[ \t]*/y;
    indentation.lastIndex = lineStart;
    const indentEnd = lineStart + indentation.exec(text)![0].length;
    if (start > indentEnd || !text.slice(lineStart, indentEnd).includes('\t')) continue;
    tabLines.add(diagnostic.range.start.line);
    problems.push({
      message: 'Tab in indentation: YAML forbids it, and parsers disagree on where this line belongs (findings below it may be missing or misplaced); indent with spaces.',
      range: lines.rangeOf(lineStart, Math.max(indentEnd, lineStart + 1)),
    });
  }
  return { document: new YamlSourceDocument(uri, text, result.data, (result.ast as AstNode | undefined) ?? undefined, [], problems) };
}

const SINGLE_DOCUMENT = /expected a single document/;

/** `@stoplight/yaml`'s message for a key repeated in one mapping (with `ignoreDuplicateKeys: false`). */
const DUPLICATE_KEY = 'duplicate key';

/** Merge keys honoured; duplicate keys reported (see `DUPLICATE_KEY`), the last one wins. */
export const YAML_OPTIONS = { mergeKeys: true, ignoreDuplicateKeys: false } as const;

/** Parser messages can quote a token, tag or alias name of the file (possible PHI): keep only the description. */
function describeYamlError(message: string): string {
  return message
    .split('\n', 1)[0]!
    .replace(/\s+at line \d+.*$/, '')
    .replace(/"[^"]*"|'[^']*'|<[^>]*>|![^\s]*|\*[^\s,\]}]+/g, '…')
    .slice(0, 200);
}

const EXPANSION_LIMIT = 2_000_000;

/**
 * True when `*alias` references would expand into more nodes than any real spec has. The parser copies each
 * aliased node, so nine levels of nine aliases (a 700-byte "billion laughs") would otherwise take minutes and
 * gigabytes. Counted on the parser's unexpanded AST, with each anchored node's size computed once.
 */
function aliasExpansionTooLarge(text: string): boolean {
  // Only texts with both an anchor and an alias in value position are checked (Markdown's `**bold**` in
  // descriptions is neither), so ordinary specs are not parsed twice. A tag may come first (`!!seq &a`), and
  // anchor names are any characters but spaces and flow indicators (`&ä0`).
  const anchor = /(?::|-|[[{,])[ \t]*(?:![^\s]*[ \t]+)?&[^\s,[\]{}]+[ \t]*(?:$|[\s,\]}#])/m;
  const alias = /(?::|-|[[{,])[ \t]*(?:![^\s]*[ \t]+)?\*[^\s,[\]{}]+[ \t]*(?:$|[,\]}#])/m;
  if (!anchor.test(text) || !alias.test(text)) return false;
  let ast: AstNode | undefined;
  try {
    ast = (require('@stoplight/yaml-ast-parser') as { load(text: string): AstNode }).load(text);
  } catch {
    return false;
  }
  const sizes = new Map<AstNode, number>();
  const sizeOf = (node: AstNode | null | undefined, depth: number): number => {
    if (!node || depth > 10_000) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    if (node.kind === ANCHOR_REF) size = sizeOf(node.value as AstNode | undefined, depth + 1);
    else if (node.kind === MAP) for (const mapping of node.mappings ?? []) size += 1 + sizeOf(mapping.value, depth + 1);
    else if (node.kind === SEQ) for (const item of node.items ?? []) size += sizeOf(item, depth + 1);
    size = Math.min(size, EXPANSION_LIMIT + 1);
    sizes.set(node, size);
    return size;
  };
  try {
    return sizeOf(ast, 0) > EXPANSION_LIMIT;
  } catch {
    return true;
  }
}
