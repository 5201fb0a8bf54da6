import { closeSync, constants, fstatSync, openSync, promises as fs, read, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseCliArguments } from './arguments';

/**
 * What is read ahead in all: the named files in order until this is spent (a larger file is left to the linter,
 * which may skip it by maxFileSizeMB before reading). Only the start-up is overlapped, so the first files are
 * all that gain; the rest are read one at a time as they are linted, as without a prefetch.
 */
const PREFETCH_BUDGET_BYTES = 64 * 1024 * 1024;

type Outcome = { readonly bytes: Buffer } | { readonly error: unknown };

/**
 * Reads the files named on the command line while the engine's modules load: both take tens of milliseconds
 * on a large spec, and reading happens on libuv's threads, so the main thread need not wait for it. Each
 * prefetched file is handed out once (a file re-read after `--fix` is read again); anything else is read
 * when asked for.
 */
export class PrefetchedFiles {
  private readonly pending = new Map<string, Promise<Outcome | undefined>>();

  constructor(argv: readonly string[], cwd: string, budgetBytes = PREFETCH_BUDGET_BYTES) {
    let paths: readonly string[];
    try {
      paths = parseCliArguments(argv).paths;
    } catch {
      return; // The CLI reports the usage error.
    }
    let budget = budgetBytes;
    for (const named of paths) {
      const filePath = path.resolve(cwd, named);
      // Settles without rejecting, so a prefetch nobody asks for never becomes an unhandled rejection.
      const started = prefetch(filePath, budget);
      if (!started) continue;
      budget -= started.bytes;
      this.pending.set(filePath, started.outcome);
    }
  }

  /** Whether `filePath` is being read ahead (and not handed out yet). */
  isPrefetched(filePath: string): boolean {
    return this.pending.has(filePath);
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
 * Undefined (nothing read ahead) for anything but a regular file of at most `budget` bytes.
 */
function prefetch(filePath: string, budget: number): { readonly bytes: number; readonly outcome: Promise<Outcome | undefined> } | undefined {
  let fd: number;
  let size: number;
  try {
    // Only regular files are opened here: opening and closing a named pipe would end its writer's stream (the
    // CLI reads pipes itself), and a device is never read. Non-blocking, in case it became a pipe since.
    if (!statSync(filePath).isFile()) return undefined;
    fd = openSync(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { bytes: 0, outcome: Promise.resolve({ error }) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > budget) {
      closeSync(fd);
      return undefined;
    }
    size = stat.size;
  } catch (error) {
    closeSync(fd);
    return { bytes: 0, outcome: Promise.resolve({ error }) };
  }
  const bytes = Buffer.allocUnsafe(size);
  const outcome = new Promise<Outcome | undefined>((resolve) => {
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
  return { bytes: size, outcome };
}
