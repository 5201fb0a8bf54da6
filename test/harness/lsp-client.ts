import { spawn, type ChildProcess } from 'node:child_process';
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

/** The compiled language server (`out/`); tests of the bundle pass `dist/server.js`. */
export const compiledServer = path.resolve(__dirname, '..', '..', 'server', 'src', 'lsp', 'bin.js');

/** A real client over stdio; diagnostics are awaited by condition, never by a fixed sleep. */
export class TestClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess;
  private readonly latest = new Map<string, Diagnostic[]>();
  private waiters: { uri: string; accept: (diagnostics: Diagnostic[]) => boolean; resolve: (diagnostics: Diagnostic[]) => void }[] = [];
  private readonly texts = new Map<string, TextDocument>();

  constructor(serverPath = compiledServer) {
    this.process = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
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

