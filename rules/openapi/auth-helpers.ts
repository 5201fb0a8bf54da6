import type { ApiModel, Operation, SecurityScheme } from '../../server/src/engine/model/api-model';
import { closestName } from '../../server/src/engine/did-you-mean';
import type { EditSpec } from '../../server/src/engine/rule';
import { childOf, entriesOf, itemsOf, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';

/** `GET /patients/{id}`. */
export function operationLabel(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** Where schemes are declared, as the spec author would write it. */
export function schemeContainerName(model: ApiModel): string {
  return model.version === '2.0' ? 'securityDefinitions' : 'components.securitySchemes';
}

/**
 * Every name declared as a scheme, including declarations the model skipped because they are not objects
 * (a broken `$ref` is `ref-unresolved`'s finding, not an undefined scheme).
 */
export function declaredSchemeNames(model: ApiModel): Set<string> {
  const names = new Set(model.securitySchemes.keys());
  const container =
    model.version === '2.0' ? childOf(model.root, 'securityDefinitions') : childOf(model.specs.deref(childOf(model.root, 'components')), 'securitySchemes');
  for (const [name] of entriesOf(model.specs.deref(container))) names.add(name);
  return names;
}

/** Operations whose effective security names the scheme in some alternative. */
export function operationsUsingScheme(model: ApiModel, schemeName: string): Operation[] {
  return model.operations.filter((operation) => operation.security.alternatives.some((alternative) => alternative.schemes.some((scheme) => scheme.schemeName === schemeName)));
}

/** The PHI-carrying operations among `operations`, with their reason, for severity and messages. */
export function phiOperations(operations: readonly Operation[]): { operation: Operation; reason: string }[] {
  return operations.flatMap((operation) => {
    const evidence = operation.phiEvidence();
    return evidence.carriesPhi ? [{ operation, reason: evidence.reason ?? 'marked as PHI' }] : [];
  });
}

/** "GET /a (reason)", "GET /a (reason) and 3 more PHI operations". */
export function describePhiOperations(phi: readonly { operation: Operation; reason: string }[]): string {
  const [first] = phi;
  if (!first) return '';
  const head = `${operationLabel(first.operation)} (${first.reason})`;
  return phi.length === 1 ? head : `${head} and ${phi.length - 1} more PHI operation${phi.length === 2 ? '' : 's'}`;
}

/** One security requirement object as written: at the root or in an operation's own `security`. */
export interface RequirementSite {
  /** `root security` or `security of GET /x`. */
  readonly where: string;
  readonly requirement: SpecNode;
  readonly entries: [string, SpecNode][];
}

/** Every requirement object written in the spec (root `security` and each operation's own `security`), each once. */
export function requirementSites(model: ApiModel): RequirementSite[] {
  const seen = new Set<string>();
  const sites: RequirementSite[] = [];
  const add = (security: SpecNode | undefined, where: string) => {
    if (!security || seen.has(nodeKey(security))) return;
    seen.add(nodeKey(security));
    for (const requirement of itemsOf(security)) sites.push({ where, requirement, entries: entriesOf(requirement) });
  };
  add(model.rootSecurity, 'root security');
  for (const operation of model.operations) add(childOf(operation.node, 'security'), `security of ${operationLabel(operation)}`);
  return sites;
}

/** Closest declared scheme name (case-insensitive or one/two edits away), for a "did you mean" hint. */
export function closestSchemeName(name: string, schemes: ReadonlyMap<string, SecurityScheme>): string | undefined {
  return closestName(name, schemes.keys(), Math.min(2, Math.floor(name.length / 3)));
}

/**
 * An edit that deletes one item of a `security` array, or undefined when that cannot be done reliably.
 * - YAML block sequence, item written as `- {}` alone on its line (a trailing comment is allowed): the whole line
 *   including its newline goes. The edit is anchored on the object that owns `security`, whose range covers the line.
 * - Flow sequences and JSON arrays: the item and the comma after it (or before it, when it is the last item).
 * Any other layout (item spread over lines, comments inside the removed span, `{}` repeated so `find` would hit the
 * wrong one) gives no edit. The engine only offers node-anchored edits, so the raw offsets are checked here first.
 */
export function removeSecurityItemEdit(item: SpecNode, array: SpecNode): EditSpec | undefined {
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
  if (!/^\{\s*\}$/.test(text.slice(start, end))) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);

  // YAML block sequence item: `  - {}` (optionally `# comment`) alone on its line.
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
    if (text[previous] !== ',') return undefined; // the only item: removing it would turn `[{}]` into `[]`
    from = previous;
    to = end;
  } else {
    return undefined;
  }
  const find = text.slice(from, to);
  if (find.includes('#') || text.indexOf(find, arrayStart) !== from) return undefined;
  return { node: array, part: 'value', find, newText: '' };
}
