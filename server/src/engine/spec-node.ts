import type { SourceDocument } from './documents/source-document';
import type { JsonPath } from './json-pointer';

/** A node of a spec as written: the file it is in, its path there, and its plain value. */
export interface SpecNode {
  readonly doc: SourceDocument;
  readonly path: JsonPath;
  readonly value: unknown;
}

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A child node whose path is built only when asked for: walking a large spec creates many nodes,
 * and only the few that end up in findings need their full path.
 */
class ChildNode implements SpecNode {
  private cachedPath: JsonPath | undefined;

  constructor(readonly doc: SourceDocument, readonly value: unknown, private readonly parent: SpecNode, private readonly key: string | number) {}

  get path(): JsonPath {
    return (this.cachedPath ??= [...this.parent.path, this.key]);
  }

  /** The path if it has been built already; never builds it. */
  get builtPath(): JsonPath | undefined {
    return this.cachedPath;
  }
}

/**
 * The node's path when knowing it costs nothing: always for roots and `$ref` targets, for walked child nodes only
 * once something has asked. For checks (is this `components/schemas/X`?) that must not force every path into being.
 */
export function pathIfBuilt(node: SpecNode): JsonPath | undefined {
  return node instanceof ChildNode ? node.builtPath : node.path;
}

/** The member `key` of an object node (not following `$ref`), or undefined. */
export function childOf(node: SpecNode | undefined, key: string | number): SpecNode | undefined {
  if (!node) return undefined;
  const value = node.value;
  if (Array.isArray(value)) {
    if (typeof key !== 'number' || key >= value.length) return undefined;
    return new ChildNode(node.doc, value[key], node, key);
  }
  if (!isPlainObject(value) || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
  return new ChildNode(node.doc, value[key as string], node, key);
}

/** Members of an object node in source order. */
export function entriesOf(node: SpecNode | undefined): [string, SpecNode][] {
  if (!node || !isPlainObject(node.value)) return [];
  const value = node.value;
  // Keys from Object.keys are own keys: no need for childOf's checks, which the PHI search would pay per property.
  return Object.keys(value).map((key) => [key, new ChildNode(node.doc, value[key], node, key)]);
}

/** Items of an array node. */
export function itemsOf(node: SpecNode | undefined): SpecNode[] {
  if (!node || !Array.isArray(node.value)) return [];
  return node.value.map((item: unknown, index) => new ChildNode(node.doc, item, node, index));
}

export function stringValue(node: SpecNode | undefined): string | undefined {
  return typeof node?.value === 'string' ? node.value : undefined;
}

/** A stable identity for a node, for visited sets and de-duplication. */
export function nodeKey(node: SpecNode): string {
  return node.doc.uri + '#' + node.path.join('\u0000');
}
