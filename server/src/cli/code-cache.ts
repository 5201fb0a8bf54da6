import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module = require('node:module');
import * as path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import * as vm from 'node:vm';

/**
 * A V8 code cache for healthlint's own compiled modules, made once at build time (`npm run build` runs
 * `make-code-cache.js`) and only read at run time. A cold CLI run otherwise compiles each of its functions the
 * first time it is called: on GitHub's description that is tens of milliseconds of a run under a second. The
 * cache is taken after a representative lint, so it holds those functions' bytecode, not only the modules' top
 * level. Node 22 has this built in (`module.enableCompileCache`); Node 20 does not, and `v8-compile-cache` writes
 * its cache to the temporary folder at run time and keeps only what is compiled while a module loads.
 *
 * Safety: the cache lives beside the modules it belongs to, never in the linted workspace, and is never written
 * at run time. The file carries a checksum of its entries (V8 does not check cache data in release builds: a
 * corrupted byte can crash it), and each entry is used only for the module text whose hash it was made from.
 * V8 itself rejects data from another version or other flags (`NODE_OPTIONS=--max-old-space-size=...` is
 * enough): then the modules compile as usual. `HEALTHLINT_CODE_CACHE=off` turns it off, `=verbose` reports its
 * use on stderr at exit.
 *
 * A module compiled here differs from one Node compiles in ways compiled TypeScript does not notice: its
 * `require` has no `extensions` or `resolve.paths`, columns on its first line are shifted by the wrapper,
 * `--experimental-policy` is not applied to it, and with `--enable-source-maps` the hook stays off.
 */
export const CODE_CACHE_FILE = path.join(__dirname, 'code-cache.bin');
/** The compiled tree (`out/`): modules below it, outside `node_modules`, are ours. */
const OUT_ROOT = path.resolve(__dirname, '..', '..', '..');

interface CacheEntry {
  readonly hash: string;
  readonly data: Buffer;
}

interface CacheFile {
  readonly node: string;
  readonly arch: string;
  /** sha256 of `entries`. */
  readonly checksum: string;
  /** `v8.serialize` of a record of `CacheEntry` by module path relative to `OUT_ROOT`. */
  readonly entries: Buffer;
}

type Compile = (this: Module, content: string, filename: string) => unknown;

/** Our modules compiled through the hook, for `codeCacheUse` and, when recording, `createCachedData`. */
const compiled: { readonly key: string; readonly hash: string; readonly script: vm.Script; readonly offered: boolean }[] = [];

/** How the modules compiled through the hook so far went: from the cache, rejected by V8, or without an entry. */
export function codeCacheUse(): { readonly cached: number; readonly rejected: number; readonly uncached: number } {
  const use = { cached: 0, rejected: 0, uncached: 0 };
  for (const { script, offered } of compiled) {
    if (!offered) use.uncached++;
    else if (script.cachedDataRejected) use.rejected++;
    else use.cached++;
  }
  return use;
}

/**
 * Compiles our modules with the cache made at build time, when there is a sound one for this Node. No-op
 * otherwise: no file, a damaged one, one made by another Node, source maps on. Never throws.
 */
export function useCodeCache(file = CODE_CACHE_FILE): void {
  const setting = process.env['HEALTHLINT_CODE_CACHE'];
  if (setting === 'off' || process.sourceMapsEnabled) return;
  const entries = readCacheFile(file);
  if (!entries) return;
  if (setting === 'verbose') {
    process.once('exit', () => {
      const use = codeCacheUse();
      process.stderr.write(`healthlint: code cache: ${use.cached} modules compiled from it, ${use.rejected} rejected by V8, ${use.uncached} without an entry\n`);
    });
  }
  installCompileHook((key) => {
    const entry = Object.prototype.hasOwnProperty.call(entries, key) ? entries[key] : undefined;
    return isPlainObject(entry) && typeof entry['hash'] === 'string' && Buffer.isBuffer(entry['data']) ? (entry as unknown as CacheEntry) : undefined;
  });
}

function readCacheFile(file: string): Record<string, unknown> | undefined {
  try {
    const cache = deserialize(readFileSync(file)) as unknown;
    if (!isPlainObject(cache) || cache['node'] !== process.version || cache['arch'] !== process.arch || !Buffer.isBuffer(cache['entries'])) return undefined;
    if (createHash('sha256').update(cache['entries']).digest('base64') !== cache['checksum']) return undefined;
    const entries = deserialize(cache['entries']) as unknown;
    return isPlainObject(entries) ? entries : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Compiles our modules through the hook from now on, so that `saveCodeCache` can write what they became. */
export function recordCodeCache(): void {
  installCompileHook(() => undefined);
}

/** Writes the cache of every module compiled since `recordCodeCache`, with the functions compiled so far. */
export function saveCodeCache(file = CODE_CACHE_FILE): number {
  const entries: Record<string, CacheEntry> = {};
  for (const { key, hash, script } of compiled) entries[key] = { hash, data: script.createCachedData() };
  const payload = serialize(entries);
  const cache: CacheFile = { node: process.version, arch: process.arch, checksum: createHash('sha256').update(payload).digest('base64'), entries: payload };
  writeFileSync(file, serialize(cache));
  return compiled.length;
}

function installCompileHook(entryFor: (key: string) => CacheEntry | undefined): void {
  const prototype = Module.prototype as unknown as { _compile: Compile };
  const compile = prototype._compile;
  prototype._compile = function compileWithCache(content: string, filename: string): unknown {
    const key = path.relative(OUT_ROOT, filename);
    // Not ours; or it uses `import()` (the ESM-only `$ref` parser), which a `vm.Script` supports only with an
    // experimental loader option on Node 20: Node compiles those itself.
    if (key.startsWith('..') || path.isAbsolute(key) || key.split(path.sep).includes('node_modules') || content.includes('import(')) return compile.call(this, content, filename);
    const hash = createHash('sha256').update(content).digest('base64');
    const entry = entryFor(key);
    const offered = entry?.hash === hash;
    // A `#!` line is only valid at the very start of a script: keep the line, as a comment.
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    const script = new vm.Script(Module.wrap(source), { filename, ...(offered ? { cachedData: entry.data } : {}) });
    compiled.push({ key, hash, script, offered });
    // V8 rejects every entry alike when its version or flags differ: the other modules are left to Node.
    if (offered && script.cachedDataRejected && compiled.every((module) => !module.offered || module.script.cachedDataRejected)) prototype._compile = compile;
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this), this, filename, path.dirname(filename));
  };
}

/** The `require` a module gets (compiled TypeScript uses only `require(id)`; the rest as Node gives it). */
function requireFor(module: Module): NodeJS.Require {
  const moduleRequire = ((id: string) => module.require(id)) as NodeJS.Require;
  const internals = Module as unknown as { _resolveFilename(request: string, parent: Module, isMain: boolean, options?: unknown): string; _cache: NodeJS.Dict<NodeJS.Module> };
  moduleRequire.resolve = ((request: string, options?: unknown) => internals._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  moduleRequire.cache = internals._cache;
  moduleRequire.main = require.main;
  return moduleRequire;
}
