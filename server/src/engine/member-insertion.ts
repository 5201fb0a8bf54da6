import type { SourceDocument } from './documents/source-document';
import type { JsonPath } from './json-pointer';

/**
 * Text that adds one member to an object as written in a file, in that file's own style: YAML block mappings
 * get block lines at the entries' indentation and the file's indentation step, YAML flow mappings and JSON get
 * one more member in the same layout. Rules say what to add; the layout (which needs positions) is the engine's.
 */
export interface MemberInsertion {
  readonly offset: number;
  readonly text: string;
}

/** Leading whitespace of the line an offset is on (its length and text), and whether only whitespace precedes the offset there. */
function lineIndent(text: string, offset: number): { indent: number; whitespace: string; startsLine: boolean } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const indent = before.length - before.trimStart().length;
  return { indent, whitespace: before.slice(0, indent), startsLine: before.trim() === '' };
}

const PLAIN_YAML_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const PLAIN_YAML_STRING = /^[A-Za-z][A-Za-z0-9 _.,;()/'-]*$/;

function yamlKey(key: string): string {
  return PLAIN_YAML_KEY.test(key) ? key : `'${key.replace(/'/g, "''")}'`;
}

function yamlScalar(value: unknown): string {
  if (typeof value === 'string') return PLAIN_YAML_STRING.test(value) && !/[:#]\s|\s$/.test(value) && !/^(true|false|null|yes|no|on|off|~)$/i.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

/** Block YAML for a plain value: one line per member, `step` spaces per level below `pad`. */
function yamlBlock(key: string, value: unknown, pad: string, step: string): string[] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    return [`${pad}${yamlKey(key)}:`, ...Object.entries(value).flatMap(([childKey, child]) => yamlBlock(childKey, child, pad + step, step))];
  }
  if (Array.isArray(value) && value.length > 0) {
    return [`${pad}${yamlKey(key)}:`, ...value.flatMap((item) => yamlSequenceItem(item, pad + step, step))];
  }
  return [`${pad}${yamlKey(key)}: ${yamlScalar(value)}`];
}

/** One `- item` of a block sequence; a mapping item continues on the following lines at the dash's content column. */
function yamlSequenceItem(item: unknown, pad: string, step: string): string[] {
  if (item !== null && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length > 0) {
    const lines = Object.entries(item).flatMap(([key, value]) => yamlBlock(key, value, pad + '  ', step));
    lines[0] = `${pad}- ${lines[0]!.slice(pad.length + 2)}`;
    return lines;
  }
  return [`${pad}- ${typeof item === 'object' && item !== null ? JSON.stringify(item) : yamlScalar(item)}`];
}

/** Re-indents `JSON.stringify(value, null, step)` so that nested lines start at `pad`. */
function jsonMember(key: string, value: unknown, pad: string, step: string): string {
  return `${JSON.stringify(key)}: ${JSON.stringify(value, null, step).replace(/\n/g, '\n' + pad)}`;
}

/**
 * Builds the insertion for `key: value` at the end of the object at `objectPath`, or undefined when the
 * object is empty or its layout is unusual enough that an edit could not keep it (the fix is then not offered).
 */
export function memberInsertion(doc: SourceDocument, objectPath: JsonPath, lastMemberKey: string, key: string, value: unknown): MemberInsertion | undefined {
  const text = doc.text;
  const [object, lastKey, lastValue, objectKey] = doc.locateAll([
    { path: objectPath, part: 'value' },
    { path: [...objectPath, lastMemberKey], part: 'key' },
    { path: [...objectPath, lastMemberKey], part: 'value' },
    { path: objectPath, part: 'key' },
  ]);
  if (!object?.exact || !lastKey?.exact || !lastValue?.exact) return undefined;
  const { indent, whitespace, startsLine } = lineIndent(text, lastKey.range.startOffset);
  // JSON indented with tabs keeps its tabs (YAML allows none).
  const tabs = doc.format === 'json' && whitespace.includes('\t');
  const pad = tabs ? whitespace : ' '.repeat(indent);
  const outer = objectKey?.exact ? lineIndent(text, objectKey.range.startOffset).indent : 0;
  const step = (tabs ? '\t' : ' ').repeat(indent > outer ? indent - outer : tabs ? 1 : 2);
  const opensFlow = text[object.range.startOffset] === '{';
  if (doc.format === 'json' || opensFlow) {
    // JSON, or a YAML flow mapping: one more member after the last one, on its own line when the members are.
    const member = doc.format === 'json' ? jsonMember(key, value, pad, step) : `${yamlKey(key)}: ${JSON.stringify(value)}`;
    return { offset: lastValue.range.endOffset, text: startsLine ? `,\n${pad}${member}` : `, ${member}` };
  }
  if (!startsLine) return undefined;
  // After the end of the line the last value ends on, so a trailing comment stays with its own line.
  const lineEnd = text.indexOf('\n', lastValue.range.endOffset);
  // Before the `\r` of a `\r\n`, so the inserted lines (given the file's line endings by the linter) do not split it.
  const at = lineEnd === -1 ? text.length : lineEnd > 0 && text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
  const lines = yamlBlock(key, value, pad, step);
  return { offset: at, text: '\n' + lines.join('\n') };
}
