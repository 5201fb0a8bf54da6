/** One contiguous edit between two versions of a text: `removedText` at `start` became `insertedText`. */
export interface TextChange {
  readonly start: number;
  readonly removedText: string;
  readonly insertedText: string;
}

/** Characters compared per step while looking for the first and last difference: native string comparison does the work. */
const CHUNK = 4096;

/**
 * The smallest single change that turns `before` into `after` (common prefix and suffix removed); undefined when
 * the texts are equal. Editors send several changes per keystroke at most, so one span covers them.
 */
export function textChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const limit = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix + CHUNK <= limit && before.slice(prefix, prefix + CHUNK) === after.slice(prefix, prefix + CHUNK)) prefix += CHUNK;
  while (prefix < limit && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const maxSuffix = limit - prefix;
  while (suffix + CHUNK <= maxSuffix && before.slice(before.length - suffix - CHUNK, before.length - suffix) === after.slice(after.length - suffix - CHUNK, after.length - suffix)) suffix += CHUNK;
  while (suffix < maxSuffix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, removedText: before.slice(prefix, before.length - suffix), insertedText: after.slice(prefix, after.length - suffix) };
}
