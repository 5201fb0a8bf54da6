import { promises as fs } from 'node:fs';

/**
 * A file's text, decoded once from a single buffer (read by `readBytes`; the CLI's hands out its prefetches).
 * `readFile(path, 'utf8')` decodes 512 KB chunks and joins them into a rope that the first character access
 * must flatten: measurable on a 13 MB spec.
 */
export async function readTextFile(filePath: string, readBytes: (filePath: string) => Promise<Buffer> = (file) => fs.readFile(file)): Promise<string> {
  return (await readBytes(filePath)).toString('utf8');
}
