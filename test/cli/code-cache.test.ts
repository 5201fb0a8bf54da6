import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The compiled tree: these tests load the CLI's modules in child processes, as the `healthlint` command does. */
const out = path.resolve(__dirname, '..', '..');
const cacheModule = path.join(out, 'server', 'src', 'cli', 'code-cache.js');
const builtCache = path.join(out, 'server', 'src', 'cli', 'code-cache.bin');
const examples = path.resolve(out, '..', 'examples');

interface CacheFile {
  node: string;
  arch: string;
  entries: Record<string, { hash: string; data: Buffer }>;
}

/**
 * Loads the CLI with the code cache in `cacheFile`, lints the examples and prints how its modules compiled and how
 * many problems it found.
 */
function lintWithCache(cacheFile: string): { use: { cached: number; rejected: number; uncached: number }; problems: number } {
  const script = `
    const cache = require(${JSON.stringify(cacheModule)});
    cache.useCodeCache(${JSON.stringify(cacheFile)});
    const { runCli } = require(${JSON.stringify(path.join(out, 'server', 'src', 'cli', 'main.js'))});
    let text = '';
    runCli([${JSON.stringify(examples)}, '--format', 'json', '--fail-on', 'never'], { cwd: process.cwd(), stdout: (t) => (text += t), stderr: (t) => process.stderr.write(t), stdoutIsTerminal: false, env: {} })
      .then(() => console.log(JSON.stringify({ use: cache.codeCacheUse(), problems: JSON.parse(text).findings.length })));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, HEALTHLINT_CODE_CACHE: '' } });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ReturnType<typeof lintWithCache>;
}

describe('CLI code cache', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-code-cache-'));
  const built = deserialize(readFileSync(builtCache)) as CacheFile;
  const variant = (name: string, change: (cache: CacheFile) => void): string => {
    const copy = deserialize(serialize(built)) as CacheFile;
    change(copy);
    const file = path.join(dir, name);
    writeFileSync(file, serialize(copy));
    return file;
  };
  let expectedProblems: number;

  it('is made by the build for this Node, and every module the CLI loads compiles from it', () => {
    assert.equal(built.node, process.version);
    const { use, problems } = lintWithCache(builtCache);
    assert.ok(use.cached >= 50, JSON.stringify(use));
    assert.deepEqual({ rejected: use.rejected, uncached: use.uncached }, { rejected: 0, uncached: 0 });
    expectedProblems = problems;
    assert.ok(problems > 0);
  });

  it('uses an entry only for the module text it was made from', () => {
    const file = variant('edited.bin', (cache) => {
      cache.entries[path.join('server', 'src', 'engine', 'linter.js')]!.hash = 'made from another text';
    });
    const { use, problems } = lintWithCache(file);
    assert.equal(use.uncached, 1);
    assert.equal(use.rejected, 0);
    assert.equal(problems, expectedProblems);
  });

  it('compiles a module as usual when V8 rejects its data', () => {
    const file = variant('garbage-entry.bin', (cache) => {
      cache.entries[path.join('server', 'src', 'engine', 'linter.js')]!.data = Buffer.from('not a code cache');
    });
    const { use, problems } = lintWithCache(file);
    assert.equal(use.rejected, 1);
    assert.equal(problems, expectedProblems);
  });

  it('ignores a cache file that is broken, missing or made by another Node', () => {
    const broken = path.join(dir, 'broken.bin');
    writeFileSync(broken, 'not a cache file');
    const foreign = variant('foreign.bin', (cache) => {
      cache.node = 'v0.0.0';
    });
    for (const file of [broken, foreign, path.join(dir, 'missing.bin')]) {
      const { use, problems } = lintWithCache(file);
      assert.deepEqual(use, { cached: 0, rejected: 0, uncached: 0 }, file);
      assert.equal(problems, expectedProblems, file);
    }
  });

  it('leaves the command output as it is without the cache', () => {
    const run = (setting: string) =>
      spawnSync(process.execPath, [path.join(out, 'server', 'src', 'cli', 'bin.js'), examples, '--format', 'sarif', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, HEALTHLINT_CODE_CACHE: setting } });
    const withCache = run('');
    const without = run('off');
    assert.equal(withCache.status, 0, withCache.stderr);
    assert.equal(withCache.stdout, without.stdout);
    assert.ok(withCache.stdout.includes('"ruleId"'));
  });
});
