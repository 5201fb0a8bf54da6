/** A location inside a parsed document: object keys and array indexes, as in a JSON pointer. */
export type JsonPath = readonly (string | number)[];

/** Decodes the fragment of a `$ref` (`#/components/schemas/Patient%20Record`) into path segments. */
export function parseJsonPointer(pointer: string): string[] {
  let text = pointer.startsWith('#') ? pointer.slice(1) : pointer;
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // A malformed percent-escape is taken literally rather than rejected: real specs contain them.
    }
  }
  if (text === '' || text === '/') return text === '/' ? [''] : [];
  if (!text.startsWith('/')) return [text];
  const segments = text.slice(1).split('/');
  return text.includes('~') ? segments.map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~')) : segments;
}

/** Reads the value at a path, or undefined when any segment is missing. */
export function valueAtPath(root: unknown, path: JsonPath): unknown {
  let current: unknown = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    // Own members only: `#/components/schemas/constructor` must not "resolve" to Object.prototype.constructor.
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment as string];
  }
  return current;
}
