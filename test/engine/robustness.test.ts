import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { resolveConfig } from '../../server/src/engine/config';
import { parseSourceText } from '../../server/src/engine/documents/parse';
import { lintText } from '../../server/src/engine/linter';
import { quotableFieldName, redactedUrl } from '../../server/src/engine/message-safety';
import { allRules } from '../../rules/index';

const settings = resolveConfig({ extends: 'all' }, allRules, process.cwd()).settings;
const work = mkdtempSync(path.join(tmpdir(), 'healthlint-robust-'));

function aliasBomb(firstLine: string): string {
  const lines = [firstLine, 'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  let previous = 'a';
  for (const name of 'bcdefghi') {
    lines.push(`x-${name}: &${name} [${Array(9).fill('*' + previous).join(', ')}]`);
    previous = name;
  }
  return lines.join('\n') + '\n';
}

describe('engine: hostile and odd input', () => {
  it('refuses a YAML alias bomb quickly, with a parse-error and no content in the message', async () => {
    const started = Date.now();
    const result = await lintText(path.join(work, 'bomb.yaml'), aliasBomb('openapi: 3.0.3'), settings);
    assert.equal(result.status, 'invalid');
    assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['parse-error']);
    assert.match(result.findings[0]!.message, /alias bomb/);
    assert.ok(Date.now() - started < 5000);
  });

  it('refuses alias bombs whose anchors carry a tag or a non-ASCII name', async () => {
    for (const [label, anchor] of [['tagged', (name: string) => `!!seq &${name}`], ['non-ASCII', (name: string) => `&ä${name}`]] as const) {
      const alias = (name: string) => (label === 'non-ASCII' ? `*ä${name}` : `*${name}`);
      const lines = ['openapi: 3.0.3', `x-a: ${anchor('a')} [lol, lol, lol, lol, lol, lol, lol, lol, lol]`];
      let previous = 'a';
      for (const name of 'bcdefghi') {
        lines.push(`x-${name}: ${anchor(name)} [${Array(9).fill(alias(previous)).join(', ')}]`);
        previous = name;
      }
      const started = Date.now();
      const result = await lintText(path.join(work, `bomb-${label}.yaml`), lines.join('\n') + '\n', settings);
      assert.deepEqual(result.findings.map((finding) => finding.ruleId), ['parse-error'], label);
      assert.match(result.findings[0]!.message, /alias bomb/);
      assert.ok(Date.now() - started < 5000, `${label}: took ${Date.now() - started} ms`);
    }
  });

  it('follows external $refs from folders whose names need escaping in URLs (space, #, %, umlaut, brackets)', async () => {
    const source = path.join(__dirname, '..', '..', '..', 'examples', 'vitalink-wearables');
    const original = await lintText(path.join(source, 'openapi.yaml'), readFileSync(path.join(source, 'openapi.yaml'), 'utf8'), settings);
    for (const name of ['with space', 'we#ird', 'pct%41', 'ünï', 'br[ack]et']) {
      const copy = path.join(work, name);
      cpSync(source, copy, { recursive: true });
      const result = await lintText(path.join(copy, 'openapi.yaml'), readFileSync(path.join(copy, 'openapi.yaml'), 'utf8'), settings);
      assert.deepEqual(result.findings.filter((finding) => finding.ruleId === 'ref-unresolved'), [], name);
      assert.equal(result.findings.length, original.findings.length, name);
    }
  });

  it('never parses a walked file that cannot be a spec', async () => {
    const result = await lintText(path.join(work, 'k8s.yaml'), aliasBomb('kind: Deployment'), settings, false);
    assert.deepEqual([result.status, result.findings.length], ['not-spec', 0]);
  });

  it('a byte-order mark does not shift ranges', async () => {
    const result = await lintText(path.join(work, 'bom.yaml'), '\uFEFFopenapi: 3.0.3\ninfo: {title: t, version: "1"}\nservers:\n  - url: http://bom.example.org\npaths: {}\n', settings);
    const finding = result.findings.find((candidate) => candidate.ruleId === 'server-plaintext-http')!;
    assert.deepEqual([finding.range.start.line, finding.range.start.character], [3, 9]);
  });

  it('accepts unquoted version numbers (openapi: 3.0, swagger: 2.0)', () => {
    for (const text of ['openapi: 3.0\npaths: {}\n', 'swagger: 2.0\npaths: {}\n', '{"openapi": 3.1, "paths": {}}']) {
      const parsed = parseSourceText(path.join(work, 'v.yaml'), text);
      assert.ok('document' in parsed);
    }
  });

  it('a file:// $ref naming another host and a UNC path are reported, never opened, and the rest is linted', async () => {
    const text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'file://otherhost/d.yaml'}\n  /u: {$ref: '//fileserver/share/x.yaml'}\n  /b: {get: {responses: {'200': {description: ok}}}}\n";
    const file = path.join(work, 'hosts.yaml');
    writeFileSync(file, text);
    const result = await lintText(file, text, settings);
    assert.deepEqual(
      result.findings.map((finding) => `${finding.ruleId}:${finding.range.start.line + 1}`),
      ['ref-unresolved:4', 'ref-unresolved:5', 'operation-auth-missing:6'],
    );
    assert.match(result.findings[0]!.message, /names host 'otherhost'/);
  });

  it('deep nesting does not overflow: the other findings survive', async () => {
    let nested = '"x"';
    for (let level = 0; level < 3000; level++) nested = `{"a":${nested}}`;
    const text = `{"openapi":"3.0.3","x-deep":${nested},"paths":{"/p":{"get":{"responses":{"200":{"description":"ok"}}}}}}`;
    const result = await lintText(path.join(work, 'deep.json'), text, settings);
    assert.deepEqual(result.ruleFailures, []);
    assert.ok(result.findings.some((finding) => finding.ruleId === 'operation-auth-missing'));
  });

  it('messages quote field-like names only, and URLs without credentials', () => {
    assert.equal(quotableFieldName('birthDate'), 'birthDate');
    assert.equal(quotableFieldName('John Q Public 1961-03-14'), undefined);
    assert.equal(quotableFieldName('Jane_Roe_MRN_00482913'), undefined);
    assert.equal(redactedUrl('http://admin:S3cr3t@api.example.org/v1?api_key=abc#x'), 'http://api.example.org/v1');
  });
});
