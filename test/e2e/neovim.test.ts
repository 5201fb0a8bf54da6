import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const haveNvim = nvim.status === 0;

describe('real editor: Neovim headless', function () {
  this.timeout(60_000);
  // .ci/run installs Debian's neovim, so in CI this always runs; on a machine without it, it says so.
  (haveNvim ? it : it.skip)('shows healthlint diagnostics and applies a quick fix through the real LSP client', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'healthlint-nvim-'));
    const spec = path.join(work, 'clinic.yaml');
    writeFileSync(spec, "openapi: 3.0.3\ninfo: {title: Clinic, version: '1'}\nservers:\n  - url: http://clinic.example.org/api\npaths:\n  /patients/{id}:\n    get:\n      responses: {'200': {description: ok}}\n");
    const result = spawnSync('nvim', ['--headless', '--clean', '-i', 'NONE', '-c', `luafile ${path.join(repoRoot, 'test', 'e2e', 'nvim-lsp.lua')}`, spec], {
      encoding: 'utf8',
      input: '',
      timeout: 50_000,
      env: { ...process.env, SERVER_JS: path.join(repoRoot, 'out', 'server', 'src', 'lsp', 'bin.js'), XDG_STATE_HOME: work, XDG_DATA_HOME: work, XDG_CACHE_HOME: work, XDG_CONFIG_HOME: work },
    });
    assert.equal(result.status, 0, `nvim failed:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /^DIAG 4:10 server-plaintext-http healthlint$/m);
    assert.match(result.stdout, /^DIAG 7:5 operation-auth-missing healthlint$/m);
    assert.match(result.stdout, /^ACTION Use https \(changes the API contract\)$/m);
    assert.match(result.stdout, /^LINE4_AFTER_FIX {3}- url: https:\/\/clinic\.example\.org\/api$/m);
    assert.match(result.stdout, /^RELINTED 1$/m);
    assert.match(result.stdout, /^E2E OK$/m);
  });
});
