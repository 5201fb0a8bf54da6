import type { SourceDocument } from './documents/source-document';

/** Something a visitor noted during the walk, with the file it was found in. */
export interface Observed<Observation> {
  readonly doc: SourceDocument;
  readonly observation: Observation;
}

/**
 * A listener for the shared walk over every member of every file of a spec. Rules that look at all values
 * (examples, URLs, secrets) register one instead of walking the files themselves, so a 13 MB spec is
 * traversed once however many such rules run, as ESLint traverses once for all rules' listeners.
 */
export interface MemberVisitor<Observation = unknown> {
  /**
   * Called for each member of an object (string key) and item of an array (number key), in document order.
   * `path` is the live path of `value` (its last segment is `key`): copy it to keep it. `depth` is `path.length`.
   * Return false to keep this visitor out of `value`'s subtree.
   */
  member(
    doc: SourceDocument,
    path: readonly (string | number)[],
    key: string | number,
    value: unknown,
    container: object,
    depth: number,
    emit: (observation: Observation) => void,
  ): boolean | void;
  /** Called once, after the last file, with everything `emit`ted, in walk order. */
  done?(observed: readonly Observed<Observation>[]): void;
  /**
   * `containers`: `member` is called for objects and arrays only; `scalars`: for strings, numbers, booleans and
   * null only, and the walk descends into every container as if it had returned true. Each skipped call is one
   * of a quarter of a million on a large spec.
   */
  readonly only?: 'containers' | 'scalars';
}

/**
 * A visitor whose findings in a subtree can be replayed: it records what it finds only through `emit`, and
 * what it emits inside a subtree depends only on that subtree's values, its path, and the keys and scalar
 * members (strings, numbers, booleans, null) of the containers above it. Then a walk with a `WalkCache`
 * replays the observations of every subtree that is the same object as in the previous walk of that file
 * (documents re-parsed after an edit share their unchanged subtrees) instead of visiting it again.
 */
export interface ReplayableVisitor<Observation = unknown> extends MemberVisitor<Observation> {
  /**
   * Everything else the observations depend on (the rule, its options, facts from other parts of the spec):
   * cached observations are replayed only to a visitor with the same key.
   */
  readonly cacheKey: string;
}

/**
 * Deeper than any real spec nests (GitHub's 13 MB description reaches about 30 levels); below it the walk stops
 * instead of overflowing the stack on a hostile file.
 */
export const MAX_WALK_DEPTH = 512;

/**
 * Subtrees down to this depth are cached, each inside its parent's entry: an edit inside one operation
 * (`/paths/{path}/{method}`) or one component (`/components/{kind}/{name}`) walks only the subtrees on its path
 * down to there again, and replays their siblings.
 */
const UNIT_DEPTH = 3;

/** What the walk saw in one subtree (the file's root, or a member down to unit depth). */
interface CachedSubtree {
  readonly value: object;
  /** Observations by visitor cache key (absent for the root). */
  readonly observations?: ReadonlyMap<string, readonly unknown[]>;
  /** The container's scalar members (see `scalarSignature`), for containers above unit depth. */
  signature?: string;
  readonly children: Map<string | number, CachedSubtree>;
}

/**
 * What one walk of each file observed, per subtree, for the next walk of the same file (the language server
 * keeps one across edits). Holds only subtrees of the files' current values; files are evicted least recently
 * walked first.
 */
export class WalkCache {
  private readonly files = new Map<string, CachedSubtree>();

  constructor(private readonly capacity = 64) {}

  /** @internal The previous walk of a file, removed (the walk stores the new one). */
  take(uri: string): CachedSubtree | undefined {
    const walk = this.files.get(uri);
    this.files.delete(uri);
    return walk;
  }

  /** @internal */
  store(uri: string, walk: CachedSubtree): void {
    this.files.set(uri, walk);
    if (this.files.size > this.capacity) this.files.delete(this.files.keys().next().value!);
  }

  forget(uri: string): void {
    this.files.delete(uri);
  }
}

const NO_OBSERVATIONS: readonly unknown[] = [];

/** One scalar member, encoded so that different keys or values never give the same text. */
function scalarEntry(key: string | number, item: unknown): string {
  return `${JSON.stringify(key)}:${typeof item === 'string' ? JSON.stringify(item) : `${typeof item}${String(item)}`},`;
}

/** The scalar members of a container, as one string: equal strings mean equal scalars under equal keys. */
function scalarSignature(container: object): string {
  let signature = '';
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) {
      const item: unknown = container[index];
      if (item === null || typeof item !== 'object') signature += scalarEntry(index, item);
    }
    return signature;
  }
  const record = container as Record<string, unknown>;
  for (const key in record) {
    const item = record[key];
    if (item === null || typeof item !== 'object') signature += scalarEntry(key, item);
  }
  return signature;
}

/**
 * Walks every file once, calling every visitor that has not opted out of the current subtree. With `cache`
 * and only `ReplayableVisitor`s, subtrees down to unit depth that are unchanged since the previous walk of
 * their file are replayed instead of visited, and this walk is stored for the next one.
 */
export function walkMembers(
  files: readonly SourceDocument[],
  visitors: readonly (MemberVisitor | ReplayableVisitor)[],
  onError: (visitor: MemberVisitor, error: unknown) => void,
  cache?: WalkCache,
): void {
  if (visitors.length === 0) return;
  // mutedAt[i] = depth at which visitor i opted out (it is back once the walk returns above that depth).
  const mutedAt = visitors.map(() => Infinity);
  const failed = visitors.map(() => false);
  const observed: Observed<unknown>[][] = visitors.map(() => []);
  const cacheKeys = visitors.map((visitor) => ('cacheKey' in visitor ? visitor.cacheKey : undefined));
  const path: (string | number)[] = [];
  let doc: SourceDocument;
  const emitters = observed.map((list) => (observation: unknown) => {
    list.push({ doc, observation });
  });
  // The cache entries of the containers on the current path, from the previous walk and for this one, and
  // whether every container down to depth d has the scalars it had then (stableBelow[d]).
  const previousAt: (CachedSubtree | undefined)[] = [];
  const currentAt: CachedSubtree[] = [];
  const stableBelow: boolean[] = [];
  const caching = cache !== undefined && cacheKeys.every((key) => key !== undefined);

  // Which visitors see scalar members, which see containers, and which descend into every container unasked
  // (`only: 'scalars'`): most members are strings and numbers, which never need muting or descending into.
  const indexesWhere = (test: (visitor: MemberVisitor) => boolean) => visitors.flatMap((visitor, index) => (test(visitor) ? [index] : []));
  const forScalars = indexesWhere((visitor) => visitor.only !== 'containers');
  const forContainers = indexesWhere((visitor) => visitor.only !== 'scalars');
  const descendAnyway = indexesWhere((visitor) => visitor.only === 'scalars');
  /** A visitor that threw is muted for good (-1 is above every depth) and reported once. */
  const fail = (index: number, error: unknown) => {
    failed[index] = true;
    mutedAt[index] = -1;
    onError(visitors[index]!, error);
  };

  const visitMember = (key: string | number, value: unknown, container: object, depth: number): void => {
    if (value === null || typeof value !== 'object') {
      for (let position = 0; position < forScalars.length; position++) {
        const index = forScalars[position]!;
        if (mutedAt[index]! <= depth) continue;
        try {
          visitors[index]!.member(doc, path, key, value, container, depth, emitters[index]!);
        } catch (error) {
          fail(index, error);
        }
      }
      return;
    }
    let anyActive = false;
    let mutedHere = false;
    for (let position = 0; position < descendAnyway.length; position++) if (mutedAt[descendAnyway[position]!]! > depth) anyActive = true;
    for (let position = 0; position < forContainers.length; position++) {
      const index = forContainers[position]!;
      if (mutedAt[index]! <= depth) continue;
      let descend: boolean | void;
      try {
        descend = visitors[index]!.member(doc, path, key, value, container, depth, emitters[index]!);
      } catch (error) {
        fail(index, error);
        continue;
      }
      if (descend === false) {
        mutedAt[index] = depth;
        mutedHere = true;
      } else anyActive = true;
    }
    if (anyActive && depth < MAX_WALK_DEPTH) walkContainer(value, depth);
    if (mutedHere) for (let index = 0; index < visitors.length; index++) if (mutedAt[index] === depth) mutedAt[index] = Infinity;
  };

  /** A subtree down to unit depth: replayed when unchanged, else visited and what it emits kept. */
  const visitCachedSubtree = (key: string | number, value: object, container: object, depth: number): void => {
    const active: number[] = [];
    for (let index = 0; index < visitors.length; index++) {
      if (mutedAt[index]! <= depth || failed[index]) continue;
      active.push(index);
    }
    if (active.length === 0) return;
    const before = previousAt[depth - 1]?.children.get(key);
    if (before && stableBelow[depth - 1] && before.value === value && active.every((index) => before.observations!.has(cacheKeys[index]!))) {
      for (const index of active) for (const observation of before.observations!.get(cacheKeys[index]!)!) observed[index]!.push({ doc, observation });
      currentAt[depth - 1]!.children.set(key, before);
      return;
    }
    const starts = active.map((index) => observed[index]!.length);
    const observations = new Map<string, readonly unknown[]>();
    const entry: CachedSubtree = { value, observations, children: new Map() };
    // Its children may be unchanged even when it is not (an edit elsewhere below it).
    previousAt[depth] = before;
    currentAt[depth] = entry;
    visitMember(key, value, container, depth);
    if (active.some((index) => failed[index])) return;
    active.forEach((index, position) => {
      const list = observed[index]!;
      observations.set(cacheKeys[index]!, list.length === starts[position] ? NO_OBSERVATIONS : list.slice(starts[position]).map((item) => item.observation));
    });
    currentAt[depth - 1]!.children.set(key, entry);
  };

  const visit = caching
    ? (key: string | number, value: unknown, container: object, depth: number): void => {
        if (depth <= UNIT_DEPTH && value !== null && typeof value === 'object') visitCachedSubtree(key, value, container, depth);
        else visitMember(key, value, container, depth);
      }
    : visitMember;

  const walkContainer = (container: object, depth: number): void => {
    if (caching && depth < UNIT_DEPTH) {
      const signature = scalarSignature(container);
      currentAt[depth]!.signature = signature;
      stableBelow[depth] = (depth === 0 || stableBelow[depth - 1]!) && previousAt[depth]?.signature === signature;
    }
    if (Array.isArray(container)) {
      for (let index = 0; index < container.length; index++) {
        path.push(index);
        visit(index, container[index], container, depth + 1);
        path.pop();
      }
      return;
    }
    const record = container as Record<string, unknown>;
    for (const key in record) {
      path.push(key);
      visit(key, record[key], container, depth + 1);
      path.pop();
    }
  };

  for (const file of files) {
    doc = file;
    const value = file.value;
    if (value === null || typeof value !== 'object') continue;
    if (caching) {
      previousAt[0] = cache!.take(file.uri);
      currentAt[0] = { value, children: new Map() };
    }
    walkContainer(value, 0);
    if (caching) cache!.store(file.uri, currentAt[0]!);
  }
  for (let index = 0; index < visitors.length; index++) {
    if (failed[index]) continue;
    try {
      visitors[index]!.done?.(observed[index]!);
    } catch (error) {
      onError(visitors[index]!, error);
    }
  }
}
