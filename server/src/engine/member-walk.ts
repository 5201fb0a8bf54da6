import type { SourceDocument } from './documents/source-document';

/**
 * A listener for the shared walk over every member of every file of a spec. Rules that look at all values
 * (examples, URLs, secrets) register one instead of walking the files themselves, so a 13 MB spec is
 * traversed once however many such rules run, as ESLint traverses once for all rules' listeners.
 */
export interface MemberVisitor {
  /**
   * Called for each member of an object (string key) and item of an array (number key), in document order.
   * `path` is the live path of `value` (its last segment is `key`): copy it to keep it. `depth` is `path.length`.
   * Return false to keep this visitor out of `value`'s subtree.
   */
  member(doc: SourceDocument, path: readonly (string | number)[], key: string | number, value: unknown, container: object, depth: number): boolean | void;
  /** Called once, after the last file. */
  done?(): void;
}

/**
 * Deeper than any real spec nests (GitHub's 13 MB description reaches about 30 levels); below it the walk stops
 * instead of overflowing the stack on a hostile file.
 */
export const MAX_WALK_DEPTH = 512;

/** Walks every file once, calling every visitor that has not opted out of the current subtree. */
export function walkMembers(files: readonly SourceDocument[], visitors: readonly MemberVisitor[], onError: (visitor: MemberVisitor, error: unknown) => void): void {
  if (visitors.length === 0) return;
  // mutedAt[i] = depth at which visitor i opted out (it is back once the walk returns above that depth).
  const mutedAt = visitors.map(() => Infinity);
  const failed = visitors.map(() => false);
  const path: (string | number)[] = [];
  let doc: SourceDocument;

  const visit = (key: string | number, value: unknown, container: object, depth: number): void => {
    let anyActive = false;
    for (let index = 0; index < visitors.length; index++) {
      if (mutedAt[index]! <= depth || failed[index]) continue;
      let descend: boolean | void;
      try {
        descend = visitors[index]!.member(doc, path, key, value, container, depth);
      } catch (error) {
        failed[index] = true;
        onError(visitors[index]!, error);
        continue;
      }
      if (descend === false) mutedAt[index] = depth;
      else anyActive = true;
    }
    if (anyActive && value !== null && typeof value === 'object' && depth < MAX_WALK_DEPTH) walkContainer(value, depth);
    for (let index = 0; index < visitors.length; index++) if (mutedAt[index] === depth) mutedAt[index] = Infinity;
  };

  const walkContainer = (container: object, depth: number): void => {
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
    if (file.value !== null && typeof file.value === 'object') walkContainer(file.value, 0);
  }
  for (let index = 0; index < visitors.length; index++) {
    if (failed[index]) continue;
    try {
      visitors[index]!.done?.();
    } catch (error) {
      onError(visitors[index]!, error);
    }
  }
}
