import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DidChangeWatchedFilesNotification, DidOpenTextDocumentNotification, ExecuteCommandRequest, FileChangeType, HoverRequest } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../harness/lsp-client';

const SPEC = `openapi: 3.0.3
info: {title: Clinic, version: '1'}
servers:
  - url: http://clinic.example.org/api   # production
paths:
  /patients/{id}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  diagnosis: {type: string}
`;

describe('language server over stdio', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-lsp-'));
  let client: TestClient;

  before(async () => {
    client = new TestClient();
    await client.start(dir);
  });
  after(async () => client.stop());

  /** A fresh copy of the clinic spec, written and opened: each case works on its own file and can run alone. */
  async function openClinic(name: string): Promise<string> {
    const file = path.join(dir, name);
    writeFileSync(file, SPEC);
    return client.open(file, SPEC);
  }

  it('publishes diagnostics with rule id, docs link, source and exact ranges on open', async () => {
    const file = path.join(dir, 'clinic.yaml');
    writeFileSync(file, SPEC);
    const uri = await client.open(file, SPEC);
    const diagnostics = await client.diagnostics(uri, (list) => list.length > 0);
    const byRule = new Map(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic]));
    const http = byRule.get('server-plaintext-http')!;
    assert.deepEqual(http.range, { start: { line: 3, character: 9 }, end: { line: 3, character: 38 } });
    assert.equal(http.source, 'healthlint');
    assert.equal(http.severity, 1);
    assert.match(http.codeDescription!.href, /server-plaintext-http\.md$/);
    assert.deepEqual(byRule.get('operation-auth-missing')!.range, { start: { line: 6, character: 4 }, end: { line: 6, character: 7 } });
  });

  it('hover over a finding explains it, how to fix it and links the rule page', async () => {
    const uri = await openClinic('clinic-hover.yaml');
    await client.diagnostics(uri, (list) => list.some((d) => d.code === 'server-plaintext-http'));
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 15 } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /^\*\*healthlint server-plaintext-http\*\*: Server URL uses http:\/\/ or ws:\/\//);
    assert.match(hover.contents.value, /\*\*How to fix\.\*\* Serve the API over TLS/);
    assert.match(hover.contents.value, /Quick fix: Use https \(unsafe\)/);
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
  });

  it('offers the fix from the diagnostic data; after applying it and re-linting the finding is gone', async () => {
    const uri = await openClinic('clinic-fix.yaml');
    const diagnostics = await client.diagnostics(uri, (list) => list.some((d) => d.code === 'server-plaintext-http'));
    const http = diagnostics.filter((d) => d.code === 'server-plaintext-http');
    const actions = await client.codeActions(uri, http);
    assert.deepEqual(actions.map((action) => action.title), [
      'Use https (changes the API contract)',
      'Disable server-plaintext-http for this line',
      'Show documentation for server-plaintext-http',
    ]);
    const text = await client.edit(uri, actions[0]!.edit!.changes![uri]!);
    assert.match(text, /- url: https:\/\/clinic\.example\.org\/api {3}# production/);
    const after = await client.diagnostics(uri, (list) => !list.some((d) => d.code === 'server-plaintext-http'));
    assert.ok(after.some((d) => d.code === 'operation-auth-missing'));
  });

  it('the suppression quick fix inserts a comment the engine honours', async () => {
    const uri = await openClinic('clinic-disable.yaml');
    const diagnostics = await client.diagnostics(uri, (list) => list.some((d) => d.code === 'operation-auth-missing'));
    const auth = diagnostics.filter((d) => d.code === 'operation-auth-missing');
    const actions = await client.codeActions(uri, auth);
    const disable = actions.find((action) => action.title === 'Disable operation-auth-missing for this line')!;
    const text = await client.edit(uri, disable.edit!.changes![uri]!);
    assert.match(text, /\n {4}# healthlint-disable-next-line operation-auth-missing -- reason\n {4}get:/);
    await client.diagnostics(uri, (list) => !list.some((d) => d.code === 'operation-auth-missing'));
  });

  it('a broken file gets a parse-error; the server keeps serving other files; closing clears diagnostics', async () => {
    const broken = path.join(dir, 'broken.yaml');
    const brokenUri = await client.open(broken, "openapi: 3.0.3\ninfo: {title: t, version: '1'\npaths: {}\n");
    const parseError = await client.diagnostics(brokenUri, (list) => list.length > 0);
    assert.deepEqual(parseError.map((d) => d.code), ['parse-error']);
    const other = path.join(dir, 'other.yaml');
    const otherUri = await client.open(other, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'http://x.example.org'}]\npaths: {}\n");
    assert.deepEqual((await client.diagnostics(otherUri, (list) => list.length > 0)).map((d) => d.code), ['server-plaintext-http']);
    await client.close(brokenUri);
    assert.deepEqual(await client.diagnostics(brokenUri, (list) => list.length === 0), []);
  });

  it('the lint-workspace command publishes findings for files that are not open', async () => {
    const closed = path.join(dir, 'not-open', 'api.yaml');
    mkdirSync(path.dirname(closed), { recursive: true });
    writeFileSync(closed, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'http://y.example.org'}]\npaths: {}\n");
    const linted = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'healthlint.lintWorkspace', arguments: [] });
    assert.ok(typeof linted === 'number' && linted >= 1);
    const diagnostics = await client.diagnostics(pathToFileURL(closed).toString(), (list) => list.length > 0);
    assert.deepEqual(diagnostics.map((d) => d.code), ['server-plaintext-http']);
  });

  it('editing a referenced file re-lints the spec that uses it, from the unsaved text', async () => {
    mkdirSync(path.join(dir, 'shared'), { recursive: true });
    const params = path.join(dir, 'shared', 'servers.yaml');
    writeFileSync(params, "Prod: {url: 'https://api.example.org'}\n");
    const root = path.join(dir, 'uses-shared.yaml');
    const rootText = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - $ref: 'shared/servers.yaml#/Prod'\npaths: {}\n";
    writeFileSync(root, rootText);
    await client.open(root, rootText);
    const paramsUri = await client.open(params, "Prod: {url: 'https://api.example.org'}\n");
    assert.deepEqual(await client.diagnostics(paramsUri, (list) => list.length === 0), []);
    // Unsaved edit in the shared file: the finding appears there, reported by the root that references it.
    await client.edit(paramsUri, [{ range: { start: { line: 0, character: 13 }, end: { line: 0, character: 18 } }, newText: 'http' }]);
    const after = await client.diagnostics(paramsUri, (list) => list.some((d) => d.code === 'server-plaintext-http'));
    assert.deepEqual(after.filter((d) => d.code === 'server-plaintext-http').map((d) => d.range.start), [{ line: 0, character: 12 }]);
  });

  it('ignores a file: URI that names no local path, reads no device behind a $ref, and keeps serving', async () => {
    // `file://otherhost/...` cannot be a local path (Node throws on it): the document is skipped, not a crash.
    await client.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri: 'file://otherhost/share/api.yaml', languageId: 'yaml', version: 1, text: SPEC },
    });
    // A device never ends and `/dev/stdin` is the server's own input: neither is read.
    const device = path.join(dir, 'device-ref.yaml');
    const deviceText = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    $ref: '/dev/zero'\n";
    writeFileSync(device, deviceText);
    const deviceUri = await client.open(device, deviceText);
    const unresolved = await client.diagnostics(deviceUri, (list) => list.length > 0);
    assert.deepEqual(unresolved.map((d) => [d.code, d.message]), [['ref-unresolved', "Cannot resolve $ref '/dev/zero': not a regular file"]]);
    const uri = await openClinic('clinic-after-bad-uri.yaml');
    assert.ok((await client.diagnostics(uri, (list) => list.length > 0)).some((d) => d.code === 'server-plaintext-http'));
  });

  it('a file shared by two open specs gets each diagnostic once', async () => {
    mkdirSync(path.join(dir, 'common'), { recursive: true });
    const common = path.join(dir, 'common', 'servers.yaml');
    writeFileSync(common, "Prod: {url: 'http://common.example.org'}\n");
    const rootText = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - $ref: 'common/servers.yaml#/Prod'\npaths: {}\n";
    for (const name of ['first-root.yaml', 'second-root.yaml']) {
      writeFileSync(path.join(dir, name), rootText);
      await client.open(path.join(dir, name), rootText);
    }
    const commonUri = pathToFileURL(common).toString();
    const diagnostics = await client.diagnostics(commonUri, (list) => list.length > 0);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start]), [['server-plaintext-http', { line: 0, character: 12 }]]);
  });

  it('creating a missing referenced file re-lints the spec that refers to it', async () => {
    const root = path.join(dir, 'refers-to-missing.yaml');
    const rootText = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - $ref: 'later/servers.yaml#/Prod'\npaths: {}\n";
    writeFileSync(root, rootText);
    const rootUri = await client.open(root, rootText);
    assert.deepEqual((await client.diagnostics(rootUri, (list) => list.length > 0)).map((d) => d.code), ['ref-unresolved']);
    const later = path.join(dir, 'later', 'servers.yaml');
    mkdirSync(path.dirname(later), { recursive: true });
    writeFileSync(later, "Prod: {url: 'http://later.example.org'}\n");
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(later).toString(), type: FileChangeType.Created }] });
    assert.deepEqual(await client.diagnostics(rootUri, (list) => list.length === 0), []);
    const inLater = await client.diagnostics(pathToFileURL(later).toString(), (list) => list.length > 0);
    assert.deepEqual(inLater.map((d) => d.code), ['server-plaintext-http']);
  });

  it('reports a finding in the referenced file where the node is written', async () => {
    mkdirSync(path.join(dir, 'paths'), { recursive: true });
    const shared = path.join(dir, 'paths', 'patient.yaml');
    writeFileSync(shared, "get:\n  responses:\n    '200': {description: Patient}\n");
    const root = path.join(dir, 'root.yaml');
    const rootText = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /Patient/{id}:\n    $ref: 'paths/patient.yaml'\n";
    writeFileSync(root, rootText);
    await client.open(root, rootText);
    const inShared = await client.diagnostics(pathToFileURL(shared).toString(), (list) => list.length > 0);
    assert.deepEqual(
      inShared.filter((d) => d.code === 'operation-auth-missing').map((d) => d.range.start),
      [{ line: 0, character: 0 }],
    );
  });
});
