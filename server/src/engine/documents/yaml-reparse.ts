import type { TextChange } from './text-change';
import { ANCHOR_REF, MAP, MAPPING, SCALAR, SEQ, YAML_OPTIONS, YamlSourceDocument, yamlLibrary, type AstMapping, type AstNode } from './yaml-document';

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
 * The previous document's AST is updated in place (positions after the edit shift) and handed to the new
 * document: the previous document must not be used to locate nodes afterwards.
 */
export function reparseYamlAfterEdit(previous: YamlSourceDocument, text: string, change: TextChange): YamlSourceDocument | undefined {
  const root = previous.ast;
  const oldText = previous.text;
  if (!root || root.kind !== MAP) return undefined;
  if (/[\r\n]/.test(change.removedText) || /[\r\n]/.test(change.insertedText)) return undefined;
  const found = innermostBlockEntry(root, oldText, change.start, change.start + change.removedText.length);
  if (!found) return undefined;
  const { mapping, path } = found;
  const entryStart = oldText.lastIndexOf('\n', mapping.key.startPosition - 1) + 1;
  const extent = entryExtent(oldText, mapping);
  const editEnd = change.start + change.removedText.length;
  if (!extent || change.start <= mapping.key.startPosition || editEnd > extent.end) return undefined;
  const delta = change.insertedText.length - change.removedText.length;
  const oldSnippet = oldText.slice(entryStart, extent.contextEnd);
  const snippet = text.slice(entryStart, extent.contextEnd + delta);
  if (!safeToParseAlone(oldSnippet) || !safeToParseAlone(snippet) || hasAnchorsOrAliases(mapping.value)) return undefined;
  // The line after the entry ends it in the file; a sibling key after the snippet ends it the same way alone
  // (where a block scalar ends depends on what follows it).
  const followed = extent.contextEnd < oldText.length;
  const indentation = mapping.key.startPosition - entryStart;
  const parseText = followed ? `${snippet}${' '.repeat(indentation)}${SENTINEL_KEY}: 0\n` : snippet;

  let parsed: ReturnType<ReturnType<typeof yamlLibrary>['parseWithPointers']>;
  try {
    parsed = yamlLibrary().parseWithPointers(parseText, YAML_OPTIONS);
  } catch {
    return undefined;
  }
  const entryRoot = parsed.ast as AstNode | undefined;
  const expectedEntries = followed ? 2 : 1;
  if (parsed.diagnostics.length > 0 || !entryRoot || entryRoot.kind !== MAP || entryRoot.mappings?.length !== expectedEntries) return undefined;
  if (followed && keyText(entryRoot.mappings[1]!.key) !== SENTINEL_KEY) return undefined;
  const replacement = entryRoot.mappings[0]!;
  const key = keyText(mapping.key);
  if (replacement.key?.kind !== SCALAR || keyText(replacement.key) !== key || hasAnchorsOrAliases(replacement.value)) return undefined;
  const data = parsed.data as Record<string, unknown> | undefined;
  if (!data || !Object.prototype.hasOwnProperty.call(data, key)) return undefined;
  const value = setAtPath(previous.value, [...path, key], data[key]);
  if (value === undefined) return undefined;

  // Splice: the new entry's positions are relative to the snippet; everything after the edit moves by `delta`;
  // the containers the entry ends (it was their last member) end where it now ends.
  const oldEnd = mapping.endPosition > editEnd ? mapping.endPosition + delta : mapping.endPosition;
  if (delta !== 0) shiftPositions(root, editEnd, delta, mapping);
  shiftPositions(replacement as unknown as AstNode, -1, entryStart, undefined);
  const parent = mapping.parent!;
  replacement.parent = parent;
  parent.mappings![parent.mappings!.indexOf(mapping)] = replacement;
  for (let container: AstNode | null = parent; container; container = (container.parent as AstNode | null) ?? null) {
    if (container.endPosition === oldEnd) container.endPosition = replacement.endPosition;
  }
  return new YamlSourceDocument(previous.uri, text, value, root);
}

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
function innermostBlockEntry(root: AstNode, text: string, start: number, end: number): { mapping: AstMapping; path: string[] } | undefined {
  let best: { mapping: AstMapping; path: string[] } | undefined;
  let map: AstNode | null = root;
  const path: string[] = [];
  while (map && map.kind === MAP && !map.anchorId && text.charCodeAt(map.startPosition) !== 0x7b /* { */) {
    const mappings: AstMapping[] = map.mappings ?? [];
    const containing: AstMapping | undefined = mappings.find((mapping) => mapping.key && mapping.key.startPosition < start && end <= (mapping.value ?? mapping.key).endPosition);
    if (!containing || containing.key.kind !== SCALAR) break;
    const key = keyText(containing.key);
    if (key === '<<' || key === '__proto__' || mappings.some((other) => other !== containing && (other.key?.kind !== SCALAR || keyText(other.key) === key || keyText(other.key) === '<<'))) break;
    const lineStart = text.lastIndexOf('\n', containing.key.startPosition - 1) + 1;
    if (!/^ *$/.test(text.slice(lineStart, containing.key.startPosition))) break;
    best = { mapping: containing, path: [...path] };
    path.push(key);
    map = containing.value;
  }
  return best;
}

const SENTINEL_KEY = 'x-healthlint-entry-end';

/**
 * Where an entry's text ends: `end`, the end of the line its value ends on, when the rest of that line is blank
 * or a comment (otherwise, e.g. `}` of a flow collection, undefined); `contextEnd`, the start of the next line
 * that is not blank (blank lines after a block scalar can belong to it).
 */
function entryExtent(text: string, mapping: AstMapping): { end: number; contextEnd: number } | undefined {
  const last = mapping.value ?? mapping.key;
  if (last.kind === ANCHOR_REF) return undefined;
  const valueEnd = last.endPosition;
  let end: number;
  if (valueEnd > 0 && text.charCodeAt(valueEnd - 1) === 0x0a) end = valueEnd - 1;
  else {
    const lineEnd = text.indexOf('\n', valueEnd);
    end = lineEnd === -1 ? text.length : lineEnd;
    if (!/^[ \t]*(#.*)?\r?$/.test(text.slice(valueEnd, end))) return undefined;
  }
  let contextEnd = end;
  while (contextEnd < text.length) {
    const next = text.indexOf('\n', contextEnd + 1);
    const lineEnd = next === -1 ? text.length : next;
    if (!/^\n?[ \t\r]*$/.test(text.slice(contextEnd, lineEnd))) break;
    contextEnd = lineEnd;
  }
  return { end, contextEnd: contextEnd < text.length ? contextEnd + 1 : text.length };
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

/**
 * A copy of `root` with the value at `path` replaced; the containers on the path are copied (keeping member
 * order), everything else is shared, so the previous document's value stays as it was.
 */
function setAtPath(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
  const [head, ...rest] = path as [string, ...string[]];
  const record = root as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, head)) return undefined;
  const child = rest.length === 0 ? value : setAtPath(record[head], rest, value);
  if (child === undefined && rest.length > 0) return undefined;
  return { ...record, [head]: child };
}

/**
 * Moves positions after `from` by `delta` in a subtree (with `from` = -1: all of them). Alias nodes are not
 * followed (their target is shifted where it is written); `skip` (the replaced entry) is left alone.
 */
function shiftPositions(node: AstNode | null | undefined, from: number, delta: number, skip: AstMapping | undefined): void {
  if (!node || (node as unknown) === skip) return;
  if (node.startPosition > from) node.startPosition += delta;
  if (node.endPosition > from) node.endPosition += delta;
  else return;
  if (node.kind === MAP) for (const mapping of node.mappings ?? []) shiftPositions(mapping as unknown as AstNode, from, delta, skip);
  else if (node.kind === SEQ) for (const item of node.items ?? []) shiftPositions(item, from, delta, skip);
  else if (node.kind === MAPPING) {
    const mapping = node as unknown as AstMapping;
    shiftPositions(mapping.key, from, delta, skip);
    shiftPositions(mapping.value, from, delta, skip);
  }
}
