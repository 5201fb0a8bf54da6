import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';

/** The compiled tree: these tests load the CLI's modules in child processes, as the `healthlint` command does. */
const out = path.resolve(__dirname, '..', '..');
const cacheModule = path.join(out, 'server', 'src', 'cli', 'code-cache.js');
const builtCache = path.join(out, 'server', 'src', 'cli', 'code-cache.bin');
const bin = path.join(out, 'server', 'src', 'cli', 'bin.js');
const examples = path.resolve(out, '..', 'examples');
const linterModule = path.join('server', 'src', 'engine', 'linter.js');

interface CacheFile {
  node: string;
  arch: string;
  checksum: string;
  entries: Buffer;
}

type Entries = Record<string, { hash: string; data: Buffer }>;

interface CacheUse {
  cached: number;
  rejected: number;
  uncached: number;
}

/**
 * Loads the CLI with the code cache in `cacheFile`, lints the examples and says how its modules compiled and how
 * many problems it found.
 */
function lintWithCache(cacheFile: string): { use: CacheUse; problems: number } {
  const script = `
    const cache = require(${JSON.stringify(cacheModule)});
    cache.useCodeCache(${JSON.stringify(cacheFile)});
    const { runCli } = require(${JSON.stringify(path.join(out, 'server', 'src', 'cli', 'main.js'))});
    let text = '';
    runCli([${JSON.stringify(examples)}, '--format', 'json', '--fail-on', 'never'], { cwd: process.cwd(), stdout: (t) => (text += t), stderr: (t) => process.stderr.write(t), stdoutIsTerminal: false, env: {} })
      .then(() => console.log(JSON.stringify({ use: cache.codeCacheUse(), problems: JSON.parse(text).findings.length })));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, HEALTHLINT_CODE_CACHE: '' } });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { use: CacheUse; problems: number };
}

/** The `healthlint` command on the examples, with `HEALTHLINT_CODE_CACHE=verbose` unless `setting` says otherwise. */
function runBin(setting: string, nodeOptions: string[] = []): { stdout: string; use: CacheUse | undefined } {
  const result = spawnSync(process.execPath, [...nodeOptions, bin, examples, '--format', 'sarif', '--fail-on', 'never'], { encoding: 'utf8', env: { ...process.env, HEALTHLINT_CODE_CACHE: setting } });
  assert.equal(result.status, 0, result.stderr);
  const report = /code cache: (\d+) modules compiled from it, (\d+) rejected by V8, (\d+) without an entry/.exec(result.stderr);
  return { stdout: result.stdout, use: report ? { cached: Number(report[1]), rejected: Number(report[2]), uncached: Number(report[3]) } : undefined };
}

describe('CLI code cache', function () {
  // Each case starts Node processes.
  this.timeout(60_000);
  let dir: string;
  let built: CacheFile;
  let expectedProblems: number;

  /** A cache file like the built one, with `change` applied to its entries or to the file itself. */
  const variant = (name: string, change: { entries?: (entries: Entries) => void; file?: (cache: CacheFile) => void }): string => {
    const entries = deserialize(built.entries) as Entries;
    change.entries?.(entries);
    const payload = serialize(entries);
    const cache: CacheFile = { ...built, entries: payload, checksum: createHash('sha256').update(payload).digest('base64') };
    change.file?.(cache);
    const file = path.join(dir, name);
    writeFileSync(file, serialize(cache));
    return file;
  };

  before(() => {
    assert.ok(existsSync(builtCache), `no ${builtCache}: run npm run build`);
    built = deserialize(readFileSync(builtCache)) as CacheFile;
    dir = mkdtempSync(path.join(tmpdir(), 'healthlint-code-cache-'));
    // What the examples give without any cache.
    const plain = lintWithCache(path.join(dir, 'none.bin'));
    assert.deepEqual(plain.use, { cached: 0, rejected: 0, uncached: 0 });
    expectedProblems = plain.problems;
    assert.ok(expectedProblems > 0);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is made by the build for this Node, and every module the CLI loads compiles from it', () => {
    assert.equal(built.node, process.version);
    const { use, problems } = lintWithCache(builtCache);
    assert.ok(use.cached >= 50, JSON.stringify(use));
    assert.deepEqual({ rejected: use.rejected, uncached: use.uncached }, { rejected: 0, uncached: 0 });
    assert.equal(problems, expectedProblems);
  });

  it('is used by the healthlint command, whose output is the same without it', () => {
    const withCache = runBin('verbose');
    assert.ok(withCache.use && withCache.use.cached >= 50 && withCache.use.rejected === 0 && withCache.use.uncached === 0, JSON.stringify(withCache.use));
    const without = runBin('off');
    assert.equal(without.use, undefined);
    assert.equal(withCache.stdout, without.stdout);
    assert.ok(withCache.stdout.includes('"ruleId"'));
  });

  it('uses an entry only for the module text it was made from', () => {
    const file = variant('edited.bin', {
      entries: (entries) => {
        entries[linterModule]!.hash = 'made from another text';
      },
    });
    const { use, problems } = lintWithCache(file);
    assert.equal(use.uncached, 1);
    assert.equal(use.rejected, 0);
    assert.equal(problems, expectedProblems);
  });

  it('compiles a module as usual when V8 rejects its data', () => {
    const file = variant('rejected-entry.bin', {
      entries: (entries) => {
        entries[linterModule]!.data = Buffer.from('not a code cache');
      },
    });
    const { use, problems } = lintWithCache(file);
    assert.equal(use.rejected, 1);
    assert.equal(problems, expectedProblems);
  });

  it('leaves every module to Node once V8 rejects the first (other V8 flags), with the same output', () => {
    const flagged = runBin('verbose', ['--max-old-space-size=1234']);
    assert.deepEqual(flagged.use, { cached: 0, rejected: 1, uncached: 0 });
    assert.equal(flagged.stdout, runBin('off').stdout);
  });

  it('stays off with --enable-source-maps, whose stack traces need Node to compile the modules', () => {
    assert.equal(runBin('verbose', ['--enable-source-maps']).use, undefined);
  });

  it('ignores a cache file that is damaged, missing, of another shape or made by another Node', () => {
    const whole = serialize(built);
    const damaged = Buffer.from(whole);
    // A byte inside the entries: V8 does not check its cache data, the checksum does.
    damaged[damaged.length - 100] ^= 0xff;
    const files: Record<string, Buffer | string> = {
      'not-serialized.bin': 'not a cache file',
      'truncated.bin': whole.subarray(0, whole.length >> 1),
      'damaged.bin': damaged,
    };
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    const shapes = [
      variant('other-node.bin', { file: (cache) => void (cache.node = 'v0.0.0') }),
      variant('other-arch.bin', { file: (cache) => void (cache.arch = 'sparc') }),
      variant('null-entries.bin', { file: (cache) => void ((cache as unknown as { entries: null }).entries = null) }),
      variant('bad-checksum.bin', { file: (cache) => void (cache.checksum = 'x') }),
    ];
    const arrayEntries = path.join(dir, 'array-entries.bin');
    const arrayPayload = serialize([1, 2]);
    writeFileSync(arrayEntries, serialize({ ...built, entries: arrayPayload, checksum: createHash('sha256').update(arrayPayload).digest('base64') }));
    for (const file of [...Object.keys(files).map((name) => path.join(dir, name)), ...shapes, arrayEntries, path.join(dir, 'missing.bin')]) {
      const { use, problems } = lintWithCache(file);
      assert.deepEqual(use, { cached: 0, rejected: 0, uncached: 0 }, file);
      assert.equal(problems, expectedProblems, file);
    }
  });

  it('ignores entries of another shape, one by one', () => {
    const file = variant('odd-entries.bin', {
      entries: (entries) => {
        (entries as Record<string, unknown>)[linterModule] = null;
        (entries as Record<string, unknown>)[path.join('server', 'src', 'engine', 'finding.js')] = { hash: 1, data: 'text' };
      },
    });
    const { use, problems } = lintWithCache(file);
    assert.equal(use.uncached, 2);
    assert.equal(use.rejected, 0);
    assert.equal(problems, expectedProblems);
  });
});
