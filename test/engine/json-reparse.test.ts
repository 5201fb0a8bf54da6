import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DocumentCache } from '../../server/src/engine/documents/document-cache';
import { JsonSourceDocument, parseJsonDocument } from '../../server/src/engine/documents/json-document';
import { reparseJsonAfterEdit } from '../../server/src/engine/documents/json-reparse';
import { parseSourceText } from '../../server/src/engine/documents/parse';
import type { LocateRequest, SourceDocument } from '../../server/src/engine/documents/source-document';
import { textChange } from '../../server/src/engine/documents/text-change';
import type { JsonPath } from '../../server/src/engine/json-pointer';
import { seededRandom } from '../harness/random';

const repo = path.resolve(__dirname, '..', '..', '..');
/** Escapes, unicode, keys that need escaping, nested arrays, empty strings and containers. */
const TRICKY = `{
  "openapi": "3.0.3",
  "info": {"title": "Quote \\" and backslash \\\\ and \\u00e9 and \\n", "version": "1", "x-emoji": "😀 ok"},
  "paths": {
    "/patients/{id}": {
      "get": {
        "description": "Reads one patient. Tab\\tand more text here",
        "tags": ["a", "b", "c d", ""],
        "x-matrix": [["x", "y"], [], [{"k\\"ey": "v"}]],
        "responses": {"200": {"description": "ok"}, "404": {"description": "not found", "content": {}}}
      }
    }
  },
  "x-numbers": [1, -2.5e3, true, null, "3"]
}
`;

function yamlExampleAsJson(file: string, indent: number | undefined): string | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = parseSourceText(file, readFileSync(file, 'utf8'));
  return 'document' in parsed ? JSON.stringify(parsed.document.value, null, indent) : undefined;
}

const vitalink = path.join(repo, 'examples', 'vitalink-wearables', 'openapi.yaml');
const dexcom = path.join(repo, '..', 'shared', 'corpus', 'specs', 'health', 'dexcom-openapi.json');
const specs = [
  { name: 'tricky.json', text: TRICKY },
  { name: 'vitalink as JSON, 2-space indent', text: yamlExampleAsJson(vitalink, 2) },
  { name: 'vitalink as JSON, one line', text: yamlExampleAsJson(vitalink, undefined) },
  { name: 'dexcom-openapi.json', text: existsSync(dexcom) ? readFileSync(dexcom, 'utf8') : undefined },
].filter((spec): spec is { name: string; text: string } => spec.text !== undefined);

/** Every path of a value (members of objects, items of arrays), the root excluded. */
function allPaths(value: unknown, prefix: JsonPath = [], out: JsonPath[] = []): JsonPath[] {
  const members: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  for (const [key, item] of members) {
    out.push([...prefix, key]);
    allPaths(item, [...prefix, key], out);
  }
  return out;
}

/** Key and value ranges of every path, plus one path that does not exist under each container. */
function locations(doc: SourceDocument, paths: readonly JsonPath[]): unknown {
  const requests: LocateRequest[] = paths.flatMap((nodePath) => [
    { path: nodePath, part: 'key' as const },
    { path: nodePath, part: 'value' as const },
    { path: [...nodePath, 'no-such-member'], part: 'value' as const },
  ]);
  return doc.locateAll(requests);
}

function fullParse(name: string, text: string): JsonSourceDocument | undefined {
  const result = parseJsonDocument(name, text);
  return 'document' in result ? (result.document as JsonSourceDocument) : undefined;
}


const ALPHABET = ['a', 'Z', ' ', '0', 'u', 'é', '"', '\\', ':', ',', '{', '}', '[', ']', '\n', '\t', '😀'];
const ROUNDS = Number(process.env['REPARSE_ROUNDS'] ?? 300);
const SEED = Number(process.env['REPARSE_SEED'] ?? 7);

function randomEdit(text: string, next: () => number): string {
  const at = Math.floor(next() * text.length);
  if (next() < 0.5) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + ALPHABET[Math.floor(next() * ALPHABET.length)] + text.slice(at);
}

/** The incremental result must equal a full parse in value and in every range, or give up. */
function assertSameAsFullParse(name: string, incremental: JsonSourceDocument | undefined, text: string, context: string): boolean {
  const full = fullParse(name, text);
  if (!full) {
    assert.equal(incremental, undefined, `${context}: the text is invalid JSON, the re-parse must give up`);
    return false;
  }
  if (!incremental) return false;
  assert.deepEqual(incremental.value, full.value, `${context}: value`);
  const paths = allPaths(full.value);
  assert.deepEqual(locations(incremental, paths), locations(full, paths), `${context}: ranges`);
  return true;
}

describe('incremental JSON re-parse (edits inside one string)', () => {
  for (const spec of specs) {
    it(`matches a full parse after random one-character edits: ${spec.name}`, function () {
      this.timeout(120_000);
      const next = seededRandom(SEED);
      const previous = fullParse(spec.name, spec.text)!;
      // Ranges looked up before the edit, so the re-parse has scanned containers to shift.
      locations(previous, allPaths(previous.value));
      let incrementalCount = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const text = randomEdit(spec.text, next);
        const change = textChange(spec.text, text);
        if (!change) continue;
        const incremental = reparseJsonAfterEdit(previous, text, change);
        if (assertSameAsFullParse(spec.name, incremental, text, `round ${round} (seed ${SEED}), change ${JSON.stringify(change)}`)) incrementalCount++;
      }
      // Most edits land inside strings (descriptions): the re-parse must take a real share of them.
      assert.ok(incrementalCount > ROUNDS / 10, `only ${incrementalCount} of ${ROUNDS} edits were re-parsed incrementally`);
    });
  }

  it('keeps unchanged subtrees shared and the previous document intact', () => {
    const previous = fullParse('tricky.json', TRICKY)!;
    const before = JSON.stringify(previous.value);
    const at = TRICKY.indexOf('Reads one patient') + 'Reads'.length;
    const text = TRICKY.slice(0, at) + ' exactly' + TRICKY.slice(at);
    const next = reparseJsonAfterEdit(previous, text, textChange(TRICKY, text)!)!;
    const get = (doc: SourceDocument) => (doc.value as { paths: Record<string, { get: Record<string, unknown> }> }).paths['/patients/{id}']!.get;
    assert.equal(get(next)['description'], 'Reads exactly one patient. Tab\tand more text here');
    assert.equal(get(next)['responses'], get(previous)['responses']);
    assert.notEqual(get(next), get(previous));
    assert.equal(JSON.stringify(previous.value), before);
    const [range] = next.locateAll([{ path: ['paths', '/patients/{id}', 'get', 'tags', 2], part: 'value' }]);
    assert.equal(text.slice(range!.range.startOffset, range!.range.endOffset), '"c d"');
  });

  it('gives up on edits that touch a key, a quote, an escape or a number', () => {
    const previous = fullParse('tricky.json', TRICKY)!;
    const cases: [string, string][] = [
      ['"openapi"', '"openapiX"'],
      ['\\u00e9', '\\u0e9'],
      ['Quote \\"', 'Quote \\x"'],
      ['-2.5e3', '-2.55e3'],
      ['"ok"}', '"ok" }'],
    ];
    for (const [from, to] of cases) {
      const text = TRICKY.replace(from, to);
      assert.equal(reparseJsonAfterEdit(previous, text, textChange(TRICKY, text)!), undefined, `${from} -> ${to}`);
    }
  });

  it('follows chains of edits through the document cache (shifted offsets, rebased after 32)', function () {
    this.timeout(120_000);
    const cache = new DocumentCache();
    const { name, text: original } = specs[specs.length - 1]!;
    let text = original;
    const next = seededRandom(SEED + 1);
    let incrementalCount = 0;
    let longestChain = 0;
    let edits = 0;
    cache.parse(name, text);
    while (edits < 300) {
      // Typing as a user does: a burst of letters at a cursor inside some string value, a few backspaces, move on.
      const current = fullParse(name, text)!;
      const strings = allPaths(current.value).filter((stringPath) => typeof stringPath.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], current.value) === 'string');
      const [located] = current.locateAll([{ path: strings[Math.floor(next() * strings.length)]!, part: 'value' }]);
      let cursor = located!.range.startOffset + 1 + Math.floor(next() * (located!.range.endOffset - located!.range.startOffset - 1));
      const burst = [...'abcdefgh'.slice(0, 2 + Math.floor(next() * 6))].map((letter) => ({ letter })).concat([{ letter: '' }, { letter: '' }]);
      for (const { letter } of burst) {
        const edited = letter ? text.slice(0, cursor) + letter + text.slice(cursor) : text.slice(0, cursor - 1) + text.slice(cursor);
        cursor += letter ? 1 : -1;
        const previous = cache.parse(name, text);
        const result = cache.parse(name, edited);
        assert.ok('document' in result && 'document' in previous);
        const doc = result.document as JsonSourceDocument;
        if (doc.offsets !== (previous.document as JsonSourceDocument).offsets && doc.offsets.shiftCount > 0) incrementalCount++;
        longestChain = Math.max(longestChain, doc.offsets.shiftCount);
        assertSameAsFullParse(name, doc, edited, `edit ${edits}`);
        text = edited;
        edits++;
      }
    }
    assert.ok(incrementalCount > edits * 0.8, `only ${incrementalCount} of ${edits} edits reused shifted offsets`);
    // Chains reach the limit, where the shifted offsets become a new origin.
    assert.equal(longestChain, 32);
  });
});
