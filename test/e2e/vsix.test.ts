import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { allRules } from '../../rules/index';
import { TestClient } from '../harness/lsp-client';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');

function run(command: string, args: string[]) {
  return spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', input: '', timeout: 120_000 });
}

describe('VS Code extension package', function () {
  this.timeout(180_000);

  before(() => {
    const bundle = run(process.execPath, ['scripts/bundle.js']);
    assert.equal(bundle.status, 0, bundle.stderr);
  });

  it('the .vsix holds exactly the bundle, the rule pages, manifest, README, CHANGELOG, licence and icon', () => {
    const listing = run(vsce, ['ls', '--no-dependencies']);
    assert.equal(listing.status, 0, listing.stderr);
    const files = listing.stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
    const expected = [
      'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json', 'dist/extension.js', 'dist/server.js', 'docs/icon.png',
      ...allRules.map((rule) => `rules/openapi/${rule.meta.id}.md`),
    ].sort();
    assert.deepEqual(files, expected);
  });

  it('vsce package produces the .vsix offline', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'healthlint-vsix-')), 'healthlint.vsix');
    const packaged = run(vsce, ['package', '--no-dependencies', '-o', out]);
    assert.equal(packaged.status, 0, packaged.stdout + packaged.stderr);
    assert.ok(existsSync(out) && statSync(out).size > 100_000);
  });

  it('the bundled server (dist/server.js) answers like the compiled one', async () => {
    const client = new TestClient(path.join(repoRoot, 'dist', 'server.js'));
    const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-bundle-'));
    await client.start(dir);
    const file = path.join(dir, 'api.yaml');
    const text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'http://x.example.org'}]\npaths: {}\n";
    writeFileSync(file, text);
    const uri = await client.open(file, text);
    const diagnostics = await client.diagnostics(uri, (list) => list.length > 0);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.codeDescription?.href.endsWith('server-plaintext-http.md')]), [['server-plaintext-http', true]]);
    await client.stop();
  });
});
