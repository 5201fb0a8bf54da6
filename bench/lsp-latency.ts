/**
 * Language-server re-lint latency: opens a spec in the real server over stdio, makes N one-character edits
 * (insert, then delete, a space in a description) and measures, per edit, the time from the didChange
 * notification to the diagnostics for that document version. Reports p50/p95 (raw, and without the server's
 * fixed debounce) and the server's resident memory every 20 edits.
 * Usage: node out/bench/lsp-latency.js <spec> [edits=200]
 * `LSP_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` passes Node options to the server (to profile it).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';

const DEBOUNCE_MS = 150;
const [specArg, editsArg] = process.argv.slice(2);
const spec = path.resolve(specArg ?? '../shared/corpus/specs/health/nhs-immunisation-fhir-api.yaml');
const edits = Number(editsArg ?? 200);
const serverBin = path.resolve(__dirname, '..', 'server', 'src', 'lsp', 'bin.js');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

(async () => {
  const nodeArgs = process.env.LSP_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const server = spawn(process.execPath, [...nodeArgs, serverBin, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  const waiters = new Map<number, (at: number) => void>();
  const uri = pathToFileURL(spec).toString();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.uri !== uri || params.version === undefined) return;
    waiters.get(params.version)?.(performance.now());
    waiters.delete(params.version);
  });
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: pathToFileURL(path.dirname(spec)).toString(), capabilities: {}, workspaceFolders: null });
  await connection.sendNotification(InitializedNotification.type, {});
  const text = readFileSync(spec, 'utf8');
  const lines = text.split('\n');
  // An edit point inside a description's text (YAML or JSON), so every edit changes the spec's value, keeps the
  // document valid and leaves the findings as they were.
  const line = Math.max(0, lines.findIndex((candidate) => /^\s*(description:\s*\S|"description":\s*"[^"\\]*\S")/.test(candidate)));
  const character = /"description":/.test(lines[line]!) ? lines[line]!.lastIndexOf('"') : lines[line]!.length;
  const diagnosticsFor = (version: number) => new Promise<number>((resolve) => waiters.set(version, resolve));
  const opened = diagnosticsFor(1);
  const openStart = performance.now();
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: spec.endsWith('.json') ? 'json' : 'yaml', version: 1, text } });
  const firstLint = (await opened) - openStart;
  const latencies: number[] = [];
  const memory: number[] = [rssMb(server.pid!)];
  for (let index = 0; index < edits; index++) {
    const version = index + 2;
    const insert = index % 2 === 0;
    const done = diagnosticsFor(version);
    const started = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [
        insert
          ? { range: { start: { line, character }, end: { line, character } }, text: ' ' }
          : { range: { start: { line, character }, end: { line, character: character + 1 } }, text: '' },
      ],
    });
    latencies.push((await done) - started);
    if ((index + 1) % 20 === 0) memory.push(rssMb(server.pid!));
  }
  const net = latencies.map((value) => Math.max(0, value - DEBOUNCE_MS));
  if (process.env.LSP_LATENCIES) console.log(net.map((value) => value.toFixed(0)).join(' '));
  console.log(`${path.basename(spec)} (${(text.length / 1e6).toFixed(2)} MB): first lint ${firstLint.toFixed(0)} ms; ${edits} one-character edits`);
  console.log(`  change -> diagnostics: p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms (includes the ${DEBOUNCE_MS} ms debounce)`);
  console.log(`  re-lint after the debounce: p50 ${percentile(net, 50).toFixed(0)} ms, p95 ${percentile(net, 95).toFixed(0)} ms`);
  console.log(`  server RSS every 20 edits (MB): ${memory.map((value) => value.toFixed(0)).join(' ')}`);
  // A clean shutdown, so a profiling server writes its profile.
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
})();
