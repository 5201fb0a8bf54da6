import type { TextChange } from './text-change';
import { ANCHOR_REF, MAP, MAPPING, SCALAR, SEQ, YAML_OPTIONS, YamlSourceDocument, shiftedPosition, yamlLibrary, type AstMapping, type AstNode, type PositionShift } from './yaml-document';
import { withValueAt } from './value-path';

/**
 * Incremental YAML re-parse for an edit on one line (a keystroke in a description, a value, a comment): only the
 * smallest block-mapping entry around the edit is parsed again, on its own, and spliced into the previous parse.
 * A keystroke in a 200 KB spec then costs a parse of a few lines instead of the whole file.
 *
 * It is the same parser on the same text, so the result equals a full parse whenever the entry parses the same
 * in and out of its context. That holds for a block entry (`key: ...` starting its own line, value ending at a
 * line end) whose lines all keep their indentation; the checks below make sure of it, and whatever they cannot
 * vouch for (anchors, aliases, merge keys, duplicate keys, flow collections, document markers, keep-chomped
 * block scalars, a changed key, any parse error) returns undefined: the caller parses the whole text.
 * A test compares the two on random edits of real specs.
 *
 * The previous document's AST is updated in place and handed to the new document, so the previous document must
 * not be used to locate nodes afterwards. Nodes after the edit are not rewritten: the new document records the
 * edit as a position shift applied when a position is read (see `PositionShift`); every `MAX_PENDING_SHIFTS`
 * edits, the shifts are applied to the whole tree once.
 */
export function reparseYamlAfterEdit(previous: YamlSourceDocument, text: string, change: TextChange): YamlSourceDocument | undefined {
  // Problems found by a full parse (duplicate keys) are not tracked through edits: parse the whole text again.
  if (previous.problems.length > 0) return undefined;
  const root = previous.ast;
  const oldText = previous.text;
  if (!root || root.kind !== MAP) return undefined;
  if (/[\r\n]/.test(change.removedText) || /[\r\n]/.test(change.insertedText)) return undefined;
  const found = innermostBlockEntry(previous, change.start, change.start + change.removedText.length);
  if (!found) return undefined;
  const { mapping, path, key } = found;
  // An entry named like the helper keys below would collide with them in the snippet's parsed value.
  if (key === SENTINEL_KEY || key === WRAPPER_KEY) return undefined;
  const keyStart = previous.startOf(mapping.key);
  const entryStart = oldText.lastIndexOf('\n', keyStart - 1) + 1;
  const extent = entryExtent(previous, mapping);
  const editEnd = change.start + change.removedText.length;
  if (!extent || change.start <= keyStart || editEnd > extent.end) return undefined;
  const delta = change.insertedText.length - change.removedText.length;
  const oldSnippet = oldText.slice(entryStart, extent.contextEnd);
  const snippet = text.slice(entryStart, extent.contextEnd + delta);
  if (!safeToParseAlone(oldSnippet) || !safeToParseAlone(snippet) || hasAnchorsOrAliases(mapping.value)) return undefined;
  // Where the parser ends a collection or block scalar depends on the line after it (a block sequence even ends
  // after that line's indentation), so the snippet is followed by a key at exactly that line's indentation:
  // a sibling, or, when the next line belongs to an outer mapping, a sibling of a wrapper around the entry.
  const indentation = keyStart - entryStart;
  const followed = extent.nextIndentation !== undefined;
  const nextIndentation = extent.nextIndentation ?? indentation;
  if (nextIndentation > indentation) return undefined;
  const wrapped = nextIndentation < indentation;
  const prefix = wrapped ? `${' '.repeat(nextIndentation)}${WRAPPER_KEY}:\n` : '';
  const parseText = `${prefix}${snippet}${followed ? `${' '.repeat(nextIndentation)}${SENTINEL_KEY}: 0\n` : ''}`;

  let parsed: ReturnType<ReturnType<typeof yamlLibrary>['parseWithPointers']>;
  try {
    parsed = yamlLibrary().parseWithPointers(parseText, YAML_OPTIONS);
  } catch {
    return undefined;
  }
  const parsedRoot = parsed.ast as AstNode | undefined;
  if (parsed.diagnostics.length > 0 || !parsedRoot || parsedRoot.kind !== MAP || parsedRoot.mappings?.length !== (followed ? 2 : 1)) return undefined;
  if (followed && keyText(parsedRoot.mappings[1]!.key) !== SENTINEL_KEY) return undefined;
  const entryRoot = wrapped ? parsedRoot.mappings[0]!.value : parsedRoot;
  if (wrapped && keyText(parsedRoot.mappings[0]!.key) !== WRAPPER_KEY) return undefined;
  if (!entryRoot || entryRoot.kind !== MAP || (wrapped && entryRoot.mappings?.length !== 1)) return undefined;
  const replacement = entryRoot.mappings[0]!;
  if (replacement.key?.kind !== SCALAR || keyText(replacement.key) !== key || hasAnchorsOrAliases(replacement.value)) return undefined;
  const parsedData = parsed.data as Record<string, unknown> | undefined;
  const data = (wrapped ? parsedData?.[WRAPPER_KEY] : parsedData) as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || !Object.prototype.hasOwnProperty.call(data, key)) return undefined;
  const value = withValueAt(previous.value, [...path, key], data[key]);
  if (value === undefined) return undefined;

  // Splice: the new entry's nodes are placed in the new text and marked current; nodes after the edit move by
  // `delta` when read; the containers the entry ends (it was their last member) end where it now ends.
  const oldEnd = previous.endOf(mapping);
  const moved = (position: number) => (position > editEnd ? position + delta : position);
  const shifts: PositionShift[] = delta === 0 ? [...previous.shifts] : [...previous.shifts, { at: editEnd, delta }];
  const epoch = shifts.length;
  placeSubtree(replacement as unknown as AstNode, entryStart - prefix.length, epoch);
  const parent = mapping.parent!;
  replacement.parent = parent;
  parent.mappings![parent.mappings!.indexOf(mapping)] = replacement;
  for (let container: AstNode | null = parent; container; container = (container.parent as AstNode | null) ?? null) {
    const end = previous.endOf(container);
    container.startPosition = moved(previous.startOf(container));
    container.endPosition = end === oldEnd ? replacement.endPosition : moved(end);
    container.epoch = epoch;
  }
  if (shifts.length > MAX_PENDING_SHIFTS) {
    applyShifts(root, shifts);
    shifts.length = 0;
  }
  return new YamlSourceDocument(previous.uri, text, value, root, shifts);
}

/** Edits recorded as position shifts before they are applied to the whole tree. */
const MAX_PENDING_SHIFTS = 32;

/** The text of a mapping key as the parsed value has it (`@stoplight/yaml` converts a key as a scalar, then to text). */
function keyText(key: AstNode): string {
  const { determineScalarType, parseYamlBoolean, parseYamlFloat, parseYamlBigInteger, ScalarType } = require('@stoplight/yaml-ast-parser') as typeof import('@stoplight/yaml-ast-parser');
  switch (determineScalarType(key as never)) {
    case ScalarType.null:
      return 'null';
    case ScalarType.bool:
      return String(parseYamlBoolean(String(key.value)));
    case ScalarType.int:
      return String(parseYamlBigInteger(String(key.value)));
    case ScalarType.float:
      return String(parseYamlFloat(String(key.value)));
    default:
      return String(key.value);
  }
}

/**
 * The deepest mapping entry that contains the edited span after its key's first character (an edit at the
 * start of a key can change the line's indentation) and can be parsed alone: a block entry whose key
 * starts its line, in a block mapping reached through block mappings only (sequence items are not descended into:
 * their first entry shares its line with `- `), with no merge key, duplicate key or anchor on the way.
 */
function innermostBlockEntry(doc: YamlSourceDocument, start: number, end: number): { mapping: AstMapping; path: string[]; key: string } | undefined {
  const text = doc.text;
  let best: { mapping: AstMapping; path: string[]; key: string } | undefined;
  let map: AstNode | null | undefined = doc.ast;
  const path: string[] = [];
  while (map && map.kind === MAP && !map.anchorId && text.charCodeAt(doc.startOf(map)) !== 0x7b /* { */) {
    const mappings: AstMapping[] = map.mappings ?? [];
    const containing: AstMapping | undefined = mappings.find((mapping) => mapping.key && doc.startOf(mapping.key) < start && end <= doc.endOf(mapping.value ?? mapping.key));
    if (!containing || containing.key.kind !== SCALAR) break;
    const key = keyText(containing.key);
    const clashes = (other: AstMapping) => {
      if (other === containing) return false;
      if (other.key?.kind !== SCALAR) return true;
      const otherKey = keyText(other.key);
      return otherKey === key || otherKey === '<<';
    };
    if (key === '<<' || key === '__proto__' || mappings.some(clashes)) break;
    const keyStart = doc.startOf(containing.key);
    const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
    if (!/^ *$/.test(text.slice(lineStart, keyStart))) break;
    best = { mapping: containing, path: [...path], key };
    path.push(key);
    map = containing.value;
  }
  return best;
}

const SENTINEL_KEY = 'x-healthlint-entry-end';
const WRAPPER_KEY = 'x-healthlint-entry-parent';

/**
 * Where an entry's text ends: `end`, the end of the line its value ends on, when the rest of that line is blank
 * or a comment (otherwise, e.g. `}` of a flow collection, undefined); `contextEnd`, the start of the next line
 * that is neither blank nor a comment (blank lines after a block scalar can belong to it), and that line's
 * indentation (undefined at the end of the text).
 */
function entryExtent(doc: YamlSourceDocument, mapping: AstMapping): { end: number; contextEnd: number; nextIndentation?: number } | undefined {
  const text = doc.text;
  const last = mapping.value ?? mapping.key;
  if (last.kind === ANCHOR_REF) return undefined;
  const valueEnd = doc.endOf(last);
  let end: number;
  if (valueEnd > 0 && text.charCodeAt(valueEnd - 1) === 0x0a) end = valueEnd - 1;
  else {
    const lineEnd = text.indexOf('\n', valueEnd);
    end = lineEnd === -1 ? text.length : lineEnd;
    if (!/^[ \t]*(#.*)?\r?$/.test(text.slice(valueEnd, end))) return undefined;
  }
  // `end` is a line break (or the end of the text); skip the blank and comment-only lines after it.
  let lineStart = end + 1;
  while (lineStart < text.length) {
    const next = text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, next === -1 ? text.length : next);
    if (!/^[ \t]*(#.*)?\r?$/.test(line)) {
      const indentation = /^ */.exec(line)![0].length;
      // A tab where indentation ends is not something the snippet can reproduce.
      return line.charCodeAt(indentation) === 0x09 ? undefined : { end, contextEnd: lineStart, nextIndentation: indentation };
    }
    if (next === -1) break;
    lineStart = next + 1;
  }
  return { end, contextEnd: text.length };
}

/**
 * Text that parses the same alone as in its file: no document markers or directives (they would start another
 * document), no keep-chomped block scalar (its trailing blank lines belong to it), no tabs in indentation.
 */
function safeToParseAlone(snippet: string): boolean {
  return !/^(---|\.\.\.)(\s|$)|^%|^\t/m.test(snippet) && !/[|>][1-9]?\+/.test(snippet) && !/\n *\t/.test(snippet);
}

function hasAnchorsOrAliases(node: AstNode | null | undefined): boolean {
  if (!node) return false;
  if (node.anchorId || node.kind === ANCHOR_REF) return true;
  if (node.kind === MAP) return (node.mappings ?? []).some((mapping) => hasAnchorsOrAliases(mapping.key) || hasAnchorsOrAliases(mapping.value));
  if (node.kind === SEQ) return (node.items ?? []).some((item) => hasAnchorsOrAliases(item));
  return node.kind === MAPPING ? hasAnchorsOrAliases((node as unknown as AstMapping).value) : false;
}

/** Places a freshly parsed subtree (positions relative to `offset`) in the document, current as of `epoch`. */
function placeSubtree(node: AstNode | null | undefined, offset: number, epoch: number): void {
  if (!node) return;
  // The parser gives placeholder nodes (an empty flow entry) position -1 wherever they are.
  if (node.startPosition >= 0) node.startPosition += offset;
  if (node.endPosition >= 0) node.endPosition += offset;
  node.epoch = epoch;
  if (node.kind === MAP) for (const mapping of node.mappings ?? []) placeSubtree(mapping as unknown as AstNode, offset, epoch);
  else if (node.kind === SEQ) for (const item of node.items ?? []) placeSubtree(item, offset, epoch);
  else if (node.kind === MAPPING) {
    placeSubtree((node as unknown as AstMapping).key, offset, epoch);
    placeSubtree((node as unknown as AstMapping).value, offset, epoch);
  }
}

/**
 * Applies the pending shifts to every node once, so positions are read directly again. Alias targets are
 * visited too (the parser copies them; the copies share scalar nodes), each node once.
 */
function applyShifts(root: AstNode, shifts: readonly PositionShift[]): void {
  const seen = new Set<object>();
  const stack: (AstNode | null | undefined)[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || seen.has(node)) continue;
    seen.add(node);
    node.startPosition = shiftedPosition(node.startPosition, node.epoch ?? 0, shifts);
    node.endPosition = shiftedPosition(node.endPosition, node.epoch ?? 0, shifts);
    delete node.epoch;
    if (node.kind === MAP) for (const mapping of node.mappings ?? []) stack.push(mapping as unknown as AstNode);
    else if (node.kind === SEQ) for (const item of node.items ?? []) stack.push(item);
    else if (node.kind === MAPPING) stack.push((node as unknown as AstMapping).key, (node as unknown as AstMapping).value);
    else if (node.kind === ANCHOR_REF && node.value && typeof node.value === 'object') stack.push(node.value as AstNode);
  }
}
