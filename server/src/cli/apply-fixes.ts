import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withoutByteOrderMark } from '../engine/documents/parse';
import type { Finding, TextEdit } from '../engine/finding';

export interface FixOutcome {
  /** Files whose text the fixes changed, with their text before and after this pass (byte-order mark not included). */
  readonly changed: ReadonlyMap<string, { readonly before: string; readonly after: string }>;
  readonly appliedFixes: number;
  /** Files with fixes that were left alone because they are not UTF-8: writing them back would change other bytes. */
  readonly notUtf8: readonly string[];
}

/** A file's text as the fixes see it: without its byte-order mark, which is written back in front. */
export interface FixText {
  readonly mark: string;
  readonly text: string;
}

/** Reads a file for fixing: undefined when it is not UTF-8 (re-encoding would change its other bytes). */
export async function readFixText(file: string): Promise<FixText | undefined> {
  const bytes = await fs.readFile(file);
  const raw = bytes.toString('utf8');
  if (!Buffer.from(raw, 'utf8').equals(bytes)) return undefined;
  // Ranges count from after a byte-order mark (as editors and the parsers do).
  const text = withoutByteOrderMark(raw);
  return { mark: raw.slice(0, raw.length - text.length), text };
}

/**
 * Applies the first fix of each finding whose safety is allowed, file by file, to the texts in `current` (read
 * from disk when absent, and kept there). Edits that overlap an edit already taken are left for the next pass
 * (see `MAX_FIX_PASSES` in main.ts), as ESLint does, so the result is always a coherent document. Writes nothing.
 */
export async function applyFixes(findings: readonly Finding[], allowUnsafe: boolean, current: Map<string, FixText>): Promise<FixOutcome> {
  const byFile = new Map<string, TextEdit[][]>();
  for (const finding of findings) {
    const fix = finding.fixes.find((candidate) => candidate.safety === 'safe' || allowUnsafe);
    if (!fix || fix.edits.length === 0 || new Set(fix.edits.map((edit) => edit.uri)).size !== 1) continue;
    const uri = fix.edits[0]!.uri;
    byFile.set(uri, [...(byFile.get(uri) ?? []), [...fix.edits]]);
  }
  const changed = new Map<string, { before: string; after: string }>();
  const notUtf8: string[] = [];
  let appliedFixes = 0;
  for (const [file, fixes] of byFile) {
    const read = current.get(file) ?? (await readFixText(file));
    if (!read) {
      notUtf8.push(file);
      continue;
    }
    const before = read.text;
    const taken: TextEdit[] = [];
    for (const edits of fixes) {
      const overlaps = edits.some((edit) =>
        taken.some(
          (other) =>
            (edit.range.startOffset < other.range.endOffset && other.range.startOffset < edit.range.endOffset) ||
            // Two insertions at the same point would interleave unpredictably.
            (edit.range.startOffset === other.range.startOffset && edit.range.endOffset === other.range.endOffset),
        ),
      );
      if (overlaps) continue;
      taken.push(...edits);
      appliedFixes++;
    }
    let after = before;
    for (const edit of [...taken].sort((a, b) => b.range.startOffset - a.range.startOffset)) {
      after = after.slice(0, edit.range.startOffset) + edit.newText + after.slice(edit.range.endOffset);
    }
    if (after === before) continue;
    changed.set(file, { before, after });
    current.set(file, { mark: read.mark, text: after });
  }
  return { changed, appliedFixes, notUtf8 };
}

/** A minimal unified diff (whole changed hunks, 2 lines of context) for --fix-dry-run. */
export function unifiedDiff(file: string, cwd: string, before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  const from = Math.max(0, start - 2);
  const toA = Math.min(a.length - 1, endA + 2);
  const toB = Math.min(b.length - 1, endB + 2);
  const name = path.relative(cwd, file).split(path.sep).join('/');
  const lines = [`--- a/${name}`, `+++ b/${name}`, `@@ -${from + 1},${toA - from + 1} +${from + 1},${toB - from + 1} @@`];
  for (let index = from; index < start; index++) lines.push(` ${a[index]}`);
  for (let index = start; index <= endA; index++) lines.push(`-${a[index]}`);
  for (let index = start; index <= endB; index++) lines.push(`+${b[index]}`);
  for (let index = endA + 1; index <= toA; index++) lines.push(` ${a[index]}`);
  return lines.join('\n') + '\n';
}
