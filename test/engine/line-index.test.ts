import * as assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/engine/source-range';

/** A deterministic generator, so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** Line and character of an offset, counted the slow way. */
function reference(text: string, offset: number): { line: number; character: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

describe('LineIndex.positionAt', () => {
  it('agrees with counting line breaks, for offsets in order, at random, and repeated (CRLF, blank lines, no final newline)', () => {
    const random = generator(11);
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = Math.floor(random() * 300);
      for (let index = 0; index < length; index++) {
        const pick = random();
        text += pick < 0.15 ? '\n' : pick < 0.2 ? '\r\n' : 'x';
      }
      const index = new LineIndex(text);
      const offsets: number[] = [];
      for (let offset = 0; offset <= text.length; offset += 1 + Math.floor(random() * 3)) offsets.push(offset);
      for (let count = 0; count < 50; count++) offsets.push(Math.floor(random() * (text.length + 1)));
      for (const offset of [...offsets, ...offsets.slice().reverse(), text.length, text.length, 0, 0]) {
        assert.deepEqual(index.positionAt(offset), reference(text, offset), `${JSON.stringify(text)} at ${offset}`);
      }
    }
  });
});
