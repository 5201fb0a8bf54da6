/**
 * A copy of `root` with the value at `path` replaced: the objects and arrays on the path are copied (members
 * keep their order), everything else is shared, so the earlier value stays as it was and unchanged subtrees
 * keep their identity. Undefined when the path does not exist.
 */
export function withValueAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (Array.isArray(root)) {
    if (typeof head !== 'number' || head < 0 || head >= root.length) return undefined;
    const child = withValueAt(root[head], rest, value);
    if (child === undefined && rest.length > 0) return undefined;
    const copy = root.slice();
    copy[head] = child;
    return copy;
  }
  if (root === null || typeof root !== 'object' || typeof head !== 'string') return undefined;
  const record = root as Record<string, unknown>;
  if (!Object.prototype.hasOwnProperty.call(record, head)) return undefined;
  const child = withValueAt(record[head], rest, value);
  if (child === undefined && rest.length > 0) return undefined;
  return { ...record, [head]: child };
}
