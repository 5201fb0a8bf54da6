import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const haveEglot = spawnSync('emacs', ['--batch', '--eval', "(progn (require 'eglot) (kill-emacs 0))"], { encoding: 'utf8', input: '' }).status === 0;

describe('real editor: Emacs + Eglot headless', function () {
  this.timeout(60_000);
  // .ci/run installs Debian's emacs-nox and elpa-eglot, so in CI this always runs; elsewhere it says so.
  (haveEglot ? it : it.skip)('shows healthlint diagnostics through flymake and applies the https quick fix', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'healthlint-emacs-'));
    const spec = path.join(work, 'clinic.yaml');
    writeFileSync(spec, "openapi: 3.0.3\ninfo: {title: Clinic, version: '1'}\nservers:\n  - url: http://clinic.example.org/api\npaths:\n  /patients/{id}:\n    get:\n      responses: {'200': {description: ok}}\n");
    const result = spawnSync('emacs', ['--batch', '-l', path.join(repoRoot, 'test', 'e2e', 'eglot-lsp.el')], {
      encoding: 'utf8',
      input: '',
      timeout: 50_000,
      env: { ...process.env, HOME: work, SERVER_JS: path.join(repoRoot, 'out', 'server', 'src', 'lsp', 'bin.js'), SPEC_FILE: spec },
    });
    assert.equal(result.status, 0, `emacs failed:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^DIAG 4 healthlint \[server-plaintext-http\]: Server URL 'http:\/\/clinic\.example\.org\/api' is plain http/m);
    assert.match(result.stdout, /^ACTION Use https \(changes the API contract\)$/m);
    assert.match(result.stdout, /^LINE4_AFTER_FIX {3}- url: https:\/\/clinic\.example\.org\/api$/m);
    assert.match(result.stdout, /^RELINTED$/m);
    assert.match(result.stdout, /^E2E OK$/m);
  });
});
