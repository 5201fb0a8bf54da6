import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { PrefetchedFiles } from '../../server/src/cli/prefetch';

describe('CLI prefetch of the files named on the command line', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-prefetch-'));
  const spec = path.join(dir, 'openapi.json');
  writeFileSync(spec, '{"openapi": "3.0.3"}');
  mkdirSync(path.join(dir, 'specs'));

  it('hands out a named file as read, once; a second read sees the file as it is then', async () => {
    const files = new PrefetchedFiles(['openapi.json', '--format', 'json'], dir);
    writeFileSync(spec, '{"openapi": "3.1.0"}');
    // The read was started synchronously: the prefetch may hold either version, but never a mix.
    const first = (await files.readFile(spec)).toString();
    assert.ok(first === '{"openapi": "3.0.3"}' || first === '{"openapi": "3.1.0"}', first);
    assert.equal((await files.readFile(spec)).toString(), '{"openapi": "3.1.0"}');
  });

  it('reads ahead the named files in order until its budget is spent, and folders not at all', async () => {
    writeFileSync(path.join(dir, 'a.json'), '{"openapi": "3.0.3"}'); // 20 bytes
    writeFileSync(path.join(dir, 'b.json'), '{"openapi": "3.0.3"}');
    writeFileSync(path.join(dir, 'c.json'), '{}');
    const files = new PrefetchedFiles(['a.json', 'b.json', 'c.json', 'specs'], dir, 30);
    assert.deepEqual(['a.json', 'b.json', 'c.json', 'specs'].map((name) => files.isPrefetched(path.join(dir, name))), [true, false, true, false]);
    assert.equal((await files.readFile(path.join(dir, 'b.json'))).toString(), '{"openapi": "3.0.3"}');
    assert.equal((await files.readFile(path.join(dir, 'a.json'))).toString(), '{"openapi": "3.0.3"}');
    assert.equal(files.isPrefetched(path.join(dir, 'a.json')), false);
  });

  it('reports a missing file as the file system does, and reads files it was not given', async () => {
    const files = new PrefetchedFiles(['missing.yaml', 'specs'], dir);
    await assert.rejects(files.readFile(path.join(dir, 'missing.yaml')), { code: 'ENOENT' });
    writeFileSync(path.join(dir, 'specs', 'other.yaml'), 'openapi: 3.0.3\n');
    assert.equal((await files.readFile(path.join(dir, 'specs', 'other.yaml'))).toString(), 'openapi: 3.0.3\n');
  });

  it('does not wait on a named pipe: it is left to the CLI', function () {
    if (process.platform === 'win32') this.skip();
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    // Opening a pipe for reading blocks until a writer comes, unless opened non-blocking: in a child process
    // with a time limit, so that a regression fails this test instead of hanging the suite.
    const prefetchModule = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'prefetch.js');
    const script = `new (require(${JSON.stringify(prefetchModule)}).PrefetchedFiles)(['pipe.json'], ${JSON.stringify(dir)}); console.log('constructed')`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(run.stdout, 'constructed\n');
    assert.equal(run.status, 0);
  });

  it('leaves a usage error to the CLI and never rejects unasked', async () => {
    const files = new PrefetchedFiles(['--no-such-option', 'openapi.json'], dir);
    assert.equal((await files.readFile(spec)).toString(), '{"openapi": "3.1.0"}');
    // A prefetch of a file nobody reads must not surface as an unhandled rejection: a child process would die of it.
    const bin = path.resolve(__dirname, '..', '..', 'server', 'src', 'cli', 'bin.js');
    const run = spawnSync(process.execPath, [bin, 'missing.json', '--format', 'json', '--fail-on', 'never'], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.stderr, 'healthlint: missing.json: no such file or folder\n');
    assert.equal(run.status, 2);
  });
});
