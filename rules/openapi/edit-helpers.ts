import { valueAtPath } from '../../server/src/engine/json-pointer';
import type { EditSpec } from '../../server/src/engine/rule';
import { isPlainObject, type SpecNode } from '../../server/src/engine/spec-node';

/** The string items of the list, or the keys of the map, that `node` is a member of (itself included). */
export function siblingNames(node: SpecNode): string[] {
  const container = valueAtPath(node.doc.value, node.path.slice(0, -1));
  if (Array.isArray(container)) return container.filter((item): item is string => typeof item === 'string');
  return isPlainObject(container) ? Object.keys(container) : [];
}

/**
 * An edit that deletes one item of an array (a `security` alternative, a Swagger `schemes` entry), or undefined when
 * that cannot be done reliably. `itemText`, when given, must match the item's source text.
 * - YAML block sequence, item written alone on its line (`- {}`, `- http`; a trailing comment is allowed): the whole
 *   line including its newline goes. The edit is anchored on the object that owns the array, whose range covers the line.
 * - Flow sequences and JSON arrays: the item and the comma after it (or before it, when it is the last item).
 * Any other layout (item spread over lines, comments inside the removed span, `{}` repeated so `find` would hit the
 * wrong one) gives no edit. The engine only offers node-anchored edits, so the raw offsets are checked here first.
 */
export function removeArrayItemEdit(item: SpecNode, array: SpecNode, itemText?: RegExp): EditSpec | undefined {
  const doc = item.doc;
  const text = doc.text;
  const owner: SpecNode = { doc, path: array.path.slice(0, -1), value: undefined };
  const [itemLocated, arrayLocated, ownerLocated] = doc.locateAll([
    { path: item.path, part: 'value' },
    { path: array.path, part: 'value' },
    { path: owner.path, part: 'value' },
  ]);
  if (!itemLocated?.exact || !arrayLocated?.exact || !ownerLocated?.exact) return undefined;
  const start = itemLocated.range.startOffset;
  const end = itemLocated.range.endOffset;
  if (itemText && !itemText.test(text.slice(start, end))) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);

  // YAML block sequence item alone on its line (optionally with a `# comment`).
  if (doc.format === 'yaml' && /^\s*-\s+$/.test(before)) {
    const newline = text.indexOf('\n', end);
    const lineEnd = newline === -1 ? text.length : newline + 1;
    if (!/^\s*(#.*)?\r?\n?$/.test(text.slice(end, lineEnd))) return undefined;
    // At the very end of a file without a final newline, take the previous line break instead.
    const from = newline === -1 && lineStart > 0 ? lineStart - 1 : lineStart;
    const find = text.slice(from, lineEnd);
    const ownerStart = ownerLocated.range.startOffset;
    if (from < ownerStart || lineEnd > ownerLocated.range.endOffset || text.indexOf(find, ownerStart) !== from) return undefined;
    return { node: owner, part: 'value', find, newText: '' };
  }

  // Flow sequence / JSON array: the previous significant character is `[` or `,`.
  const arrayStart = arrayLocated.range.startOffset;
  const arrayEnd = arrayLocated.range.endOffset;
  if (text[arrayStart] !== '[' || start <= arrayStart || end >= arrayEnd) return undefined;
  let after = end;
  while (after < arrayEnd && /\s/.test(text[after]!)) after++;
  let from: number;
  let to: number;
  if (text[after] === ',') {
    from = start;
    to = after + 1;
    while (to < arrayEnd && /\s/.test(text[to]!)) to++;
  } else if (text[after] === ']') {
    let previous = start - 1;
    while (previous > arrayStart && /\s/.test(text[previous]!)) previous--;
    if (text[previous] !== ',') return undefined; // the only item: removing it would leave `[]`
    from = previous;
    to = end;
  } else {
    return undefined;
  }
  const find = text.slice(from, to);
  if (find.includes('#') || text.indexOf(find, arrayStart) !== from) return undefined;
  return { node: array, part: 'value', find, newText: '' };
}
