import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DocumentCache } from '../../server/src/engine/documents/document-cache';
import { parseSourceText } from '../../server/src/engine/documents/parse';
import type { SourceDocument } from '../../server/src/engine/documents/source-document';
import { textChange } from '../../server/src/engine/documents/text-change';
import { YamlSourceDocument, type AstNode } from '../../server/src/engine/documents/yaml-document';
import { reparseYamlAfterEdit } from '../../server/src/engine/documents/yaml-reparse';
import { seededRandom } from '../harness/random';

const repo = path.resolve(__dirname, '..', '..', '..');
/** Every YAML construct the re-parse must either handle or hand over to a full parse. */
const TRICKY = `openapi: 3.0.3 # comment
info: {title: "Flow: style", version: '1'}
x-defaults: &defaults
  limit: 10
  note: >-
    folded text
    over lines
paths:
  /patients/{id}:
    get:
      description: |
        Literal block
          with indentation
      parameters:
      - name: id
        in: path
        required: true
      - {name: q, in: query}
      x-merged:
        <<: *defaults
        limit: 20
      tags: [a, b, "c d"]
      responses:
        '200':
          description: "quoted: text"   # trailing comment
        201: {description: created}
      summary: plain
        continued plain scalar
---
`.replace(/---\n$/, '');

const specs: { name: string; text: string }[] = [
  ...[path.join(repo, 'examples', 'vitalink-wearables', 'openapi.yaml'), path.join(repo, 'examples', 'clean-telehealth', 'openapi.yaml'), path.join(repo, '..', 'shared', 'corpus', 'specs', 'health', 'nhs-immunisation-fhir-api.yaml')]
    .filter((file) => existsSync(file))
    .map((file) => ({ name: path.relative(repo, file), text: readFileSync(file, 'utf8') })),
  { name: 'tricky.yaml', text: TRICKY },
];

/** The AST as plain data: kinds, positions in the document's text, scalar values, keys; alias targets are not followed. */
function shape(doc: YamlSourceDocument, node: AstNode | null | undefined = doc.ast): unknown {
  if (!node) return null;
  const base = [node.kind, doc.startOf(node), doc.endOf(node)];
  if (node.kind === 0) return [...base, node.value];
  if (node.kind === 2) return [...base, (node.mappings ?? []).map((mapping) => [doc.startOf(mapping), doc.endOf(mapping), shape(doc, mapping.key), shape(doc, mapping.value)])];
  if (node.kind === 3) return [...base, (node.items ?? []).map((item) => shape(doc, item))];
  return base;
}

function fullParse(text: string): SourceDocument | undefined {
  const result = parseSourceText('x.yaml', text);
  return 'document' in result ? result.document : undefined;
}

const TYPED = ['a', 'Z', ' ', '1', ':', '#', '"', "'", '-', '|', '>', '{', '}', '[', ']', ',', '&', '*', '!', '?', '%', '\t', '@', '`', '~', 'é'];

describe('engine: incremental YAML re-parse', () => {
  for (const spec of specs) {
    it(`equals a full parse after random one-line edits of ${spec.name}`, function () {
      this.timeout(process.env.REPARSE_ROUNDS ? 0 : 60_000);
      const next = seededRandom(spec.text.length + Number(process.env.REPARSE_SEED ?? 0));
      const original = spec.text;
      let incrementalCount = 0;
      // REPARSE_ROUNDS=5000 for a longer hunt.
      const rounds = Number(process.env.REPARSE_ROUNDS) || (original.length > 50_000 ? 80 : 300);
      for (let round = 0; round < rounds; round++) {
        const previous = fullParse(original) as YamlSourceDocument;
        const offset = Math.floor(next() * original.length);
        const deleting = next() < 0.35 && original[offset] !== '\n';
        const inserted = deleting ? '' : TYPED[Math.floor(next() * TYPED.length)]!;
        const edited = original.slice(0, offset) + inserted + original.slice(offset + (deleting ? 1 : 0));
        const change = textChange(original, edited);
        if (!change) continue;
        const expected = fullParse(edited) as YamlSourceDocument | undefined;
        const incremental = reparseYamlAfterEdit(previous, edited, change);
        if (!incremental) continue;
        incrementalCount++;
        const where = `edit at ${offset} (${JSON.stringify(inserted || 'delete')})`;
        assert.ok(expected, `${where}: the full parse fails, so the incremental one must give up`);
        assert.deepEqual(incremental.value, expected.value, where);
        assert.deepEqual(shape(incremental), shape(expected), where);
      }
      // Most random keystrokes land in descriptions and values: the fast path must actually be taken.
      assert.ok(incrementalCount > rounds / 10, `only ${incrementalCount} of ${rounds} edits were re-parsed incrementally`);
    });
  }

  it('stays equal to a full parse over a long sequence of edits (pending position shifts, then applied)', function () {
    this.timeout(60_000);
    const next = seededRandom(7);
    const cache = new DocumentCache();
    let text = specs[0]!.text;
    let incremental = 0;
    for (let step = 0; step < 150; step++) {
      const before = cache.parse('/w/seq.yaml', text);
      const offset = Math.floor(next() * text.length);
      const typed = next() < 0.3 && text[offset] !== '\n' ? '' : 'abc #:-"'[Math.floor(next() * 8)]!;
      const edited = text.slice(0, offset) + typed + text.slice(offset + (typed === '' ? 1 : 0));
      const expected = fullParse(edited) as YamlSourceDocument | undefined;
      if (!expected || !('document' in before)) {
        // Keep the text parseable, so the chain of incremental parses goes on.
        continue;
      }
      const result = cache.parse('/w/seq.yaml', edited);
      assert.ok('document' in result, `step ${step}`);
      const document = result.document as YamlSourceDocument;
      if (document.shifts.length > 0) incremental++;
      assert.deepEqual(document.value, expected.value, `step ${step}`);
      assert.deepEqual(shape(document), shape(expected), `step ${step}`);
      text = edited;
    }
    assert.ok(incremental > 20, `only ${incremental} steps had pending shifts`);
  });

  it('the cache returns the same document for unchanged text and re-parses an edited entry only', () => {
    const cache = new DocumentCache();
    const text = 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths:\n  /a:\n    get:\n      description: old words\n      responses: {}\n';
    const first = cache.parse('/w/spec.yaml', text);
    assert.ok('document' in first);
    assert.equal((cache.parse('/w/spec.yaml', text) as { document: SourceDocument }).document, first.document);
    const edited = text.replace('old words', 'new words here');
    const second = cache.parse('/w/spec.yaml', edited);
    assert.ok('document' in second);
    assert.deepEqual(second.document.value, fullParse(edited)!.value);
    // The unchanged parts are shared with the previous value; the edited path was copied.
    const before = first.document.value as { info: object; paths: object };
    const after = second.document.value as { info: object; paths: object };
    assert.equal(after.info, before.info);
    assert.notEqual(after.paths, before.paths);
    assert.deepEqual(second.document.locateAll([{ path: ['paths', '/a', 'get', 'responses'], part: 'key' }])[0]!.range.start, { line: 8, character: 6 });
  });

  it('falls back to a full parse when an edit breaks the entry, and reports the error', () => {
    const cache = new DocumentCache();
    const text = 'openapi: 3.0.3\ninfo:\n  title: T\n  version: "1"\npaths: {}\n';
    cache.parse('/w/s.yaml', text);
    const broken = cache.parse('/w/s.yaml', text.replace('title: T', 'title: "T'));
    assert.ok('failure' in broken);
  });
});
