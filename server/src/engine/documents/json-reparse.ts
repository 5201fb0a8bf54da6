import { JsonSourceDocument } from './json-document';
import { OffsetShift } from './json-offset-index';
import type { TextChange } from './text-change';
import { withValueAt } from './value-path';

/** Characters whose insertion or removal could end a string, start an escape or add a line: left to a full parse. */
const UNSAFE_IN_STRING = /["\\\u0000-\u001f\u2028\u2029]/;
/** After this many edits the offsets become a new origin instead of shifted once more (each shift costs per member read). */
const MAX_SHIFTS = 32;

/**
 * A JSON document after an edit inside one string value (typing in a description): the structure is unchanged,
 * so only that string is parsed again. The value is the previous one with the string replaced (unchanged
 * subtrees shared), and the offsets and line starts found so far are reused, shifted past the edit. Anything
 * else (an edit touching a key, a quote, an escape, a number, a line break) returns undefined: parse in full.
 */
export function reparseJsonAfterEdit(previous: JsonSourceDocument, text: string, change: TextChange): JsonSourceDocument | undefined {
  const { start, removedText, insertedText } = change;
  if (UNSAFE_IN_STRING.test(removedText) || UNSAFE_IN_STRING.test(insertedText)) return undefined;
  const end = start + removedText.length;
  const token = previous.offsets.stringContaining(start, end);
  if (!token) return undefined;
  const delta = insertedText.length - removedText.length;
  let stringValue: unknown;
  try {
    // Validates what the edit made of escapes next to it (`\u00e9` minus a digit is no longer a string).
    stringValue = JSON.parse(text.slice(token.valueStart, token.valueEnd + delta));
  } catch {
    return undefined;
  }
  if (typeof stringValue !== 'string') return undefined;
  const value = withValueAt(previous.value, token.path, stringValue);
  if (value === undefined) return undefined;
  const shift = new OffsetShift(end, delta);
  const offsets = previous.offsets.shiftCount >= MAX_SHIFTS ? previous.offsets.rebasedAfterStringEdit(text, shift) : previous.offsets.afterStringEdit(text, shift);
  return new JsonSourceDocument(previous.uri, text, value, offsets, previous.lines.afterEditWithinLine(text, start, delta));
}
