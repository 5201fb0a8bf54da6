import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseSourceText } from '../../server/src/engine/documents/parse';
import type { NodePart, SourceDocument } from '../../server/src/engine/documents/source-document';
import type { JsonPath } from '../../server/src/engine/json-pointer';
import { childOf } from '../../server/src/engine/spec-node';
import { loadSpecSet } from '../../server/src/engine/spec-set';

function parse(uri: string, text: string): SourceDocument {
  const result = parseSourceText(uri, text);
  if ('failure' in result) throw new Error(result.failure.message);
  return result.document;
}

/** The text a path covers, with its 1-based line:column, so assertions read like the file. */
function locate(doc: SourceDocument, pathSegments: JsonPath, part: NodePart = 'value') {
  const [located] = doc.locateAll([{ path: pathSegments, part }]);
  const { range, exact } = located!;
  return { text: doc.text.slice(range.startOffset, range.endOffset), at: `${range.start.line + 1}:${range.start.character + 1}`, end: `${range.end.line + 1}:${range.end.character + 1}`, exact };
}

const JSON_SPEC = `{
  "openapi": "3.0.3",
  "paths": {
    "/patients/{id}": {
      "get": { "summary": "Read \\"quoted\\" patient", "tags": ["a", "b"] }
    },
    "/a~b/c": {"post": {}}
  },
  "servers": [ {"url": "http://x.example"}, { "url" : "https://y.example" } ]
}`;

describe('engine: ranges', () => {
  describe('JSON (targeted scanner)', () => {
    const doc = parse('/t/spec.json', JSON_SPEC);
    it('points at a key', () => assert.deepEqual(locate(doc, ['paths', '/patients/{id}', 'get'], 'key'), { text: '"get"', at: '5:7', end: '5:12', exact: true }));
    it('points at a whole object value', () => assert.equal(locate(doc, ['paths', '/patients/{id}', 'get']).text, '{ "summary": "Read \\"quoted\\" patient", "tags": ["a", "b"] }'));
    it('skips escaped quotes inside strings', () => assert.deepEqual(locate(doc, ['paths', '/patients/{id}', 'get', 'tags', 1]), { text: '"b"', at: '5:68', end: '5:71', exact: true }));
    it('finds array items and keys with odd spacing', () => assert.deepEqual(locate(doc, ['servers', 1, 'url'], 'value'), { text: '"https://y.example"', at: '9:55', end: '9:74', exact: true }));
    it('matches keys that contain pointer-special characters', () => assert.equal(locate(doc, ['paths', '/a~b/c', 'post'], 'key').text, '"post"'));
    it('falls back to the closest existing ancestor for a missing node', () => assert.deepEqual(locate(doc, ['paths', '/patients/{id}', 'get', 'security', 0]), { text: '"get"', at: '5:7', end: '5:12', exact: false }));
    it('resolves many paths in one pass, in request order', () => {
      const results = doc.locateAll([
        { path: ['servers', 0, 'url'], part: 'value' },
        { path: ['openapi'], part: 'key' },
      ]);
      assert.deepEqual(results.map((result) => doc.text.slice(result.range.startOffset, result.range.endOffset)), ['"http://x.example"', '"openapi"']);
    });
    it('reports a syntax error at its place, without quoting content', () => {
      const result = parseSourceText('/t/bad.json', '{\n  "a": 1,\n  "ssn": "123-45-6789",\n}');
      assert.ok('failure' in result);
      assert.equal(result.failure.range.start.line, 3);
      assert.doesNotMatch(result.failure.message, /123-45/);
    });
  });

  describe('YAML', () => {
    const doc = parse(
      '/t/spec.yaml',
      ['openapi: 3.0.3', 'paths:', '  /patients/{id}:', '    get:            # read', '      responses: {"200": {description: ok}, 404: {description: missing}}', 'servers:', '  - url: http://x.example', "  - {url: 'https://y.example'}", ''].join('\n'),
    );
    it('points at a block-style key', () => assert.deepEqual(locate(doc, ['paths', '/patients/{id}', 'get'], 'key'), { text: 'get', at: '4:5', end: '4:8', exact: true }));
    it('points at a flow-style value with its quotes', () => assert.deepEqual(locate(doc, ['servers', 1, 'url']), { text: "'https://y.example'", at: '8:11', end: '8:30', exact: true }));
    it('matches numeric keys as strings', () => assert.equal(locate(doc, ['paths', '/patients/{id}', 'get', 'responses', '404'], 'key').text, '404'));
    it('finds a block sequence item', () => assert.equal(locate(doc, ['servers', 0, 'url']).text, 'http://x.example'));
    it('falls back to the closest existing key for a missing node', () => assert.deepEqual(locate(doc, ['paths', '/patients/{id}', 'get', 'security'], 'value'), { text: 'get', at: '4:5', end: '4:8', exact: false }));
    it('follows aliases', () => {
      const aliased = parse('/t/alias.yaml', 'base: &b {url: http://a.example}\nservers:\n  - *b\n');
      assert.equal(locate(aliased, ['servers', 0, 'url']).text, 'http://a.example');
    });
    it('an alias itself covers its `*name`', () => {
      const aliased = parse('/t/alias-value.yaml', 'servers:\n  - url: &u http://a.example\n  - url: *u\n');
      assert.deepEqual(locate(aliased, ['servers', 1, 'url']), { text: '*u', at: '3:10', end: '3:12', exact: true });
    });
  });

  describe('nodes reached through a cross-file $ref', () => {
    it('keep the file and path where they are written', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-ref-'));
      mkdirSync(path.join(dir, 'schemas'));
      const rootText = "openapi: 3.0.3\npaths:\n  /p:\n    $ref: 'schemas/p.yaml#/item'\n";
      writeFileSync(path.join(dir, 'root.yaml'), rootText);
      writeFileSync(path.join(dir, 'schemas', 'p.yaml'), '# shared\nitem:\n  get:\n    summary: s\n');
      const specs = await loadSpecSet(parse(path.join(dir, 'root.yaml'), rootText));
      const pathItem = specs.deref(childOf(childOf(specs.rootNode(), 'paths'), '/p'))!;
      assert.equal(pathItem.doc.uri, path.join(dir, 'schemas', 'p.yaml'));
      assert.deepEqual(pathItem.path, ['item']);
      assert.deepEqual(locate(pathItem.doc, [...pathItem.path, 'get'], 'key'), { text: 'get', at: '3:3', end: '3:6', exact: true });
      assert.deepEqual(specs.refProblems(), []);
    });
  });
});
