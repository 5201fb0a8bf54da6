#!/usr/bin/env node
import { PrefetchedFiles } from './prefetch';

// Started before the engine is loaded, so that reading a large spec overlaps loading the modules.
const files = new PrefetchedFiles(process.argv.slice(2), process.cwd());
const { runCli } = require('./main') as typeof import('./main');

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  readFile: (filePath) => files.readFile(filePath),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stdoutIsTerminal: process.stdout.isTTY === true,
  env: process.env,
}).then(
  (code) => {
    // Exit as soon as stdout is flushed: tearing down a large heap by letting the loop drain costs real time on big specs.
    process.stdout.write('', () => process.exit(code));
  },
  (error: unknown) => {
    // Only the error's message and stack: never file content.
    process.stderr.write(`healthlint: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
