import * as assert from 'node:assert/strict';
import { JsonOffsetIndex } from '../../server/src/engine/documents/json-offset-index';
import { seededRandom } from '../harness/random';

/** Line starts found the plain way, to compare with those the root scan notes on its way. */
function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

/** A random JSON value: strings with escaped quotes, backslashes and escaped line breaks, numbers, nested containers. */
function randomValue(random: () => number, depth: number): unknown {
  const pick = random();
  if (depth > 4 || pick < 0.3) return random() < 0.5 ? `s"t\\r\n${Math.floor(random() * 100)}` : Math.floor(random() * 1000) - 500;
  if (pick < 0.65) {
    const object: Record<string, unknown> = {};
    for (let index = 0; index < random() * 5; index++) object[`k${index}${random() < 0.2 ? '\n' : ''}`] = randomValue(random, depth + 1);
    return object;
  }
  return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1));
}

describe('JSON offset index', () => {
  it('notes the line starts of the whole text while scanning the root, in any layout', () => {
    const random = seededRandom(20261123);
    for (let round = 0; round < 2000; round++) {
      let text = JSON.stringify({ root: randomValue(random, 0), tail: [randomValue(random, 1)] }, null, [0, 1, 2, 4, '\t'][round % 5]);
      if (round % 3 === 0) text = text.replace(/\n/g, '\r\n');
      if (round % 4 === 0) text = `\n \n${text}\n\n`;
      if (round % 7 === 0) text = text.replace(/,/g, ',\n  ');
      const index = JsonOffsetIndex.of(text);
      assert.equal(index.lineStartsIfScanned(), undefined);
      index.membersAt(index.rootStart());
      assert.deepEqual(Array.from(index.lineStartsIfScanned()!), lineStartsOf(text), `round ${round}: ${JSON.stringify(text.slice(0, 120))}`);
    }
  });

  it('notes nothing when only a nested container was scanned', () => {
    const text = '{\n  "a": {\n    "b": 1\n  }\n}\n';
    const index = JsonOffsetIndex.of(text);
    index.membersAt(text.indexOf('{', 1));
    assert.equal(index.lineStartsIfScanned(), undefined);
    index.membersAt(index.rootStart());
    assert.deepEqual(Array.from(index.lineStartsIfScanned()!), [0, 2, 11, 22, 26, 28]);
  });
});
