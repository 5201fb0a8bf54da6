import { closeSync, constants, fstatSync, openSync, promises as fs, read } from 'node:fs';
import * as path from 'node:path';
import { parseCliArguments } from './arguments';

/** Files above this size are left to the linter, which may skip them (maxFileSizeMB) before reading. */
const MAX_PREFETCH_BYTES = 64 * 1024 * 1024;

type Outcome = { readonly bytes: Buffer } | { readonly error: unknown };

/**
 * Reads the files named on the command line while the engine's modules load: both take tens of milliseconds
 * on a large spec, and reading happens on libuv's threads, so the main thread need not wait for it. Each
 * prefetched file is handed out once (a file re-read after `--fix` is read again); anything else is read
 * when asked for.
 */
export class PrefetchedFiles {
  private readonly pending = new Map<string, Promise<Outcome | undefined>>();

  constructor(argv: readonly string[], cwd: string) {
    let paths: readonly string[];
    try {
      paths = parseCliArguments(argv).paths;
    } catch {
      return; // The CLI reports the usage error.
    }
    for (const named of paths) {
      const filePath = path.resolve(cwd, named);
      // Settles without rejecting, so a prefetch nobody asks for never becomes an unhandled rejection.
      this.pending.set(filePath, prefetch(filePath));
    }
  }

  async readFile(filePath: string): Promise<Buffer> {
    const pending = this.pending.get(filePath);
    this.pending.delete(filePath);
    const outcome = pending ? await pending : undefined;
    if (outcome && 'bytes' in outcome) return outcome.bytes;
    if (outcome && 'error' in outcome) throw outcome.error;
    return fs.readFile(filePath);
  }
}

/**
 * Opens and sizes the file synchronously (microseconds), then reads it with one request to libuv's thread
 * pool: a promise-based `readFile` needs the event loop between its steps, which module loading blocks.
 */
function prefetch(filePath: string): Promise<Outcome | undefined> {
  let fd: number;
  let size: number;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait for a writer (regular files ignore it).
    fd = openSync(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return Promise.resolve({ error });
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_PREFETCH_BYTES) {
      closeSync(fd);
      return Promise.resolve(undefined);
    }
    size = stat.size;
  } catch (error) {
    closeSync(fd);
    return Promise.resolve({ error });
  }
  const bytes = Buffer.allocUnsafe(size);
  return new Promise((resolve) => {
    const readFrom = (offset: number) => {
      read(fd, bytes, offset, size - offset, offset, (error, bytesRead) => {
        if (!error && bytesRead > 0 && offset + bytesRead < size) return readFrom(offset + bytesRead);
        closeSync(fd);
        // A file that shrank while being read is read again normally.
        resolve(error ? { error } : offset + bytesRead === size ? { bytes } : undefined);
      });
    };
    readFrom(0);
  });
}
