import type { LocateRequest, Located, SourceDocument } from '../documents/source-document';
import type { JsonPath } from '../json-pointer';
import type { PhiMatch } from '../phi/phi-classifier';
import type { LineIndex } from '../source-range';
import type { SpecNode } from '../spec-node';
import type { PhiField } from './api-model';

export interface PropertyFact {
  readonly name: string;
  /** The property key as written, where findings about the field point. */
  readonly key: SpecNode;
  readonly property: SpecNode | undefined;
  /** The property's schema holds other schemas (properties, items, allOf...): only then is it searched further. */
  readonly nested: boolean;
  readonly strong: PhiMatch | undefined;
  /** The property name itself names a person (`patient`, `member`), scoping what is inside it. */
  readonly namesPerson: boolean;
}

export interface PropertyFacts {
  readonly properties: readonly PropertyFact[];
  readonly hasStrongSibling: boolean;
}

/**
 * What the PHI search found per schema, keyed by the schema's value object (unique per written location):
 * cheaper than path strings on large specs.
 */
export interface SchemaMemos {
  readonly phi: { readonly scoped: WeakMap<object, PhiField[]>; readonly unscoped: WeakMap<object, PhiField[]> };
  readonly best: { readonly scoped: WeakMap<object, PhiField | null>; readonly unscoped: WeakMap<object, PhiField | null> };
  readonly personScoped: WeakMap<object, boolean>;
  readonly propertyFacts: WeakMap<object, PropertyFacts>;
}

/** The memos a model build uses, and how it makes the nodes it stores in them (see `SchemaMemoCache`). */
export interface SchemaMemoSession {
  readonly memos: SchemaMemos;
  /** A node to keep in a memo: by default the node itself. */
  readonly keep?: (node: SpecNode) => SpecNode;
}

export function newSchemaMemos(): SchemaMemos {
  return {
    phi: { scoped: new WeakMap(), unscoped: new WeakMap() },
    best: { scoped: new WeakMap(), unscoped: new WeakMap() },
    personScoped: new WeakMap(),
    propertyFacts: new WeakMap(),
  };
}

/**
 * The PHI search's per-schema results kept across lints of the same spec (the language server's), so an edit
 * does not search every response schema again. An entry is keyed by a schema's value object, which a re-parse
 * after an edit keeps only for unchanged subtrees; what else it read came through `$ref`s. So all entries are
 * kept while every edit since they were made lies outside every `$ref` target, and dropped at the first edit
 * inside one (a changed component can change the answer for any schema that reaches it). Results that a cycle
 * cut short depend on where the search came in and are never kept (see the model builder).
 * Nodes stored in entries name their file through a handle that always points at its latest parse, so kept
 * entries do not keep old texts alive.
 */
export class SchemaMemoCache {
  private memos = newSchemaMemos();
  private roots = new Map<string, unknown>();
  private targets: { readonly uri: string; readonly path: JsonPath }[] = [];
  private targetKeys = new Set<string>();
  private readonly handles = new Map<string, LatestDocument>();
  /** A lint that began and never ended (it threw) may have read targets that were never recorded. */
  private open = false;

  /** The memos to use for a lint of `files`, emptied first if an edit since the last lint may affect them. */
  begin(files: readonly SourceDocument[]): SchemaMemoSession {
    if (this.open || !this.unaffected(files)) this.reset();
    this.roots = new Map(files.map((file) => [file.uri, file.value]));
    for (const file of files) {
      const handle = this.handles.get(file.uri);
      if (handle) handle.current = file;
      else this.handles.set(file.uri, new LatestDocument(file));
    }
    this.open = true;
    const keep = (node: SpecNode): SpecNode => ({ doc: this.handles.get(node.doc.uri) ?? node.doc, path: node.path, value: node.value });
    return { memos: this.memos, keep };
  }

  /** Records the `$ref` targets the lint resolved: later edits inside them invalidate what was memoised. */
  end(resolvedTargets: readonly { readonly uri: string; readonly path: JsonPath }[]): void {
    for (const target of resolvedTargets) {
      const key = target.uri + '#' + target.path.join('\u0000');
      if (this.targetKeys.has(key)) continue;
      this.targetKeys.add(key);
      this.targets.push(target);
    }
    this.open = false;
  }

  private reset(): void {
    this.memos = newSchemaMemos();
    this.targets = [];
    this.targetKeys = new Set();
    this.handles.clear();
  }

  private unaffected(files: readonly SourceDocument[]): boolean {
    if (files.length !== this.roots.size) return false;
    for (const file of files) {
      if (!this.roots.has(file.uri)) return false;
      const changed = changedPath(this.roots.get(file.uri), file.value);
      if (changed === undefined) continue;
      for (const target of this.targets) if (target.uri === file.uri && overlaps(target.path, changed)) return false;
    }
    return true;
  }
}

/** A file as last parsed: nodes kept across lints name it, not one parse of it. */
class LatestDocument implements SourceDocument {
  constructor(public current: SourceDocument) {}

  get uri(): string {
    return this.current.uri;
  }

  get text(): string {
    return this.current.text;
  }

  get format(): 'json' | 'yaml' {
    return this.current.format;
  }

  get value(): unknown {
    return this.current.value;
  }

  get lines(): LineIndex {
    return this.current.lines;
  }

  locateAll(requests: readonly LocateRequest[]): Located[] {
    return this.current.locateAll(requests);
  }
}

function isContainer(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/**
 * Where a value changed, for a re-parse that shares unchanged subtrees: the deepest node whose value differs
 * and has not exactly one differing member (a changed string, keys added or removed, several changes).
 * Undefined when nothing changed.
 */
export function changedPath(before: unknown, after: unknown): JsonPath | undefined {
  if (before === after) return undefined;
  const path: (string | number)[] = [];
  let previous = before;
  let current = after;
  for (;;) {
    if (!isContainer(previous) || !isContainer(current) || Array.isArray(previous) !== Array.isArray(current)) return path;
    const previousKeys = Object.keys(previous);
    const currentKeys = Object.keys(current);
    if (previousKeys.length !== currentKeys.length) return path;
    let differing: string | undefined;
    for (let index = 0; index < currentKeys.length; index++) {
      const key = currentKeys[index]!;
      if (key !== previousKeys[index]) return path;
      if (previous[key] !== current[key]) {
        if (differing !== undefined) return path;
        differing = key;
      }
    }
    if (differing === undefined) return path;
    path.push(Array.isArray(current) ? Number(differing) : differing);
    previous = previous[differing];
    current = current[differing];
  }
}

/** One path lies inside (or is) the other. */
function overlaps(a: JsonPath, b: JsonPath): boolean {
  const length = Math.min(a.length, b.length);
  // `$ref` pointers give array indexes as strings.
  for (let index = 0; index < length; index++) if (String(a[index]) !== String(b[index])) return false;
  return true;
}
