import { promises as fs } from 'node:fs';

/**
 * A file's text, decoded once from a single buffer (read by `readBytes`; the CLI's hands out its prefetches).
 * `readFile(path, 'utf8')` decodes 512 KB chunks and joins them into a rope that the first character access
 * must flatten: measurable on a 13 MB spec.
 */
export async function readTextFile(filePath: string, readBytes: (filePath: string) => Promise<Buffer> = (file) => fs.readFile(file)): Promise<string> {
  return decodeText(await readBytes(filePath));
}

/**
 * UTF-8, or UTF-16 when the bytes start with its byte-order mark (Windows editors save YAML that way; YAML 1.2
 * allows it). The mark stays at the start of the text, as a UTF-8 one does; the parsers skip it.
 */
export function decodeText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes).swap16().toString('utf16le');
  return bytes.toString('utf8');
}
