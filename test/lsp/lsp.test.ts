import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const serverBin = path.resolve(__dirname, '..', '..', 'server', 'src', 'lsp', 'bin.js');

/** A real client over stdio; diagnostics are awaited by condition, never by a fixed sleep. */
class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  private readonly latest = new Map<string, Diagnostic[]>();
  private waiters: { uri: string; accept: (diagnostics: Diagnostic[]) => boolean; resolve: (diagnostics: Diagnostic[]) => void }[] = [];
  private readonly texts = new Map<string, TextDocument>();

  constructor() {
    this.process = spawn(process.execPath, [serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.connection = createProtocolConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      this.latest.set(params.uri, params.diagnostics);
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.uri !== params.uri || !waiter.accept(params.diagnostics)) return true;
        waiter.resolve(params.diagnostics);
        return false;
      });
    });
    this.connection.listen();
  }

  async start(rootDir: string): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(rootDir).toString(), capabilities: {}, workspaceFolders: null });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  diagnostics(uri: string, accept: (diagnostics: Diagnostic[]) => boolean = () => true): Promise<Diagnostic[]> {
    const current = this.latest.get(uri);
    if (current && accept(current)) return Promise.resolve(current);
    return new Promise((resolve) => this.waiters.push({ uri, accept, resolve }));
  }

  async open(filePath: string, text: string): Promise<string> {
    const uri = pathToFileURL(filePath).toString();
    this.latest.delete(uri);
    this.texts.set(uri, TextDocument.create(uri, 'yaml', 1, text));
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  /** Applies LSP text edits to the open document and sends them as incremental changes. */
  async edit(uri: string, edits: { range: Diagnostic['range']; newText: string }[]): Promise<string> {
    const before = this.texts.get(uri)!;
    const text = TextDocument.applyEdits(before, edits);
    const next = TextDocument.create(uri, 'yaml', before.version + 1, text);
    this.texts.set(uri, next);
    this.latest.delete(uri);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: next.version },
      contentChanges: [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character).map((edit) => ({ range: edit.range, text: edit.newText })),
    });
    return text;
  }

  async close(uri: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  codeActions(uri: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]!.range;
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } }) as Promise<CodeAction[]>;
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    this.connection.dispose();
  }
}

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
    const uri = pathToFileURL(path.join(dir, 'clinic.yaml')).toString();
    await client.diagnostics(uri, (list) => list.some((d) => d.code === 'server-plaintext-http'));
    const hover = (await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 15 } })) as { contents: { value: string } };
    assert.match(hover.contents.value, /^\*\*healthlint server-plaintext-http\*\*: Server URL 'http:\/\/clinic\.example\.org\/api' is plain http/);
    assert.match(hover.contents.value, /\*\*How to fix\.\*\* Serve the API over TLS/);
    assert.match(hover.contents.value, /Quick fix: Use https \(unsafe\)/);
    assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
  });

  it('offers the fix from the diagnostic data; after applying it and re-linting the finding is gone', async () => {
    const uri = pathToFileURL(path.join(dir, 'clinic.yaml')).toString();
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
    const uri = pathToFileURL(path.join(dir, 'clinic.yaml')).toString();
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
