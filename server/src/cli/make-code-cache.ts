import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { recordCodeCache, saveCodeCache, CODE_CACHE_FILE } from './code-cache';

/**
 * Build step: makes the CLI's code cache (see `code-cache.ts`) by linting the sample specs shipped in the repo
 * the ways CI does (YAML and JSON, every output format), then saving what the modules compiled to.
 */
async function main(): Promise<void> {
  recordCodeCache();
  const { runCli } = require('./main') as typeof import('./main');
  const { parseSourceText } = require('../engine/documents/parse') as typeof import('../engine/documents/parse');
  const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
  const examples = path.join(repoRoot, 'examples');
  // A JSON spec too: the JSON document, its offsets and its fixes are other code than YAML's.
  const work = mkdtempSync(path.join(tmpdir(), 'healthlint-code-cache-'));
  try {
    const sample = path.join(examples, 'clean-telehealth', 'openapi.yaml');
    const parsed = parseSourceText(sample, readFileSync(sample, 'utf8'));
    if ('failure' in parsed) throw new Error(`cannot parse ${sample}: ${parsed.failure.message}`);
    const root = parsed.document.value as Record<string, unknown>;
    // Without its security, so that the JSON lint reports and fixes something.
    const jsonSpec = path.join(work, 'openapi.json');
    writeFileSync(jsonSpec, JSON.stringify({ ...root, security: [] }, null, 2));
    const io = { cwd: repoRoot, stdout: () => undefined, stderr: () => undefined, stdoutIsTerminal: false, env: {} };
    for (const format of ['json', 'sarif', 'stylish', 'github']) {
      await runCli([examples, jsonSpec, '--format', format, '--output', path.join(work, `report.${format}`), '--fail-on', 'never'], io);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const modules = saveCodeCache();
  console.log(`healthlint: code cache of ${modules} modules written to ${path.relative(process.cwd(), CODE_CACHE_FILE)}`);
}

main().catch((error: unknown) => {
  // A build without the cache still works (modules compile as usual): say why, do not fail the build.
  console.error(`healthlint: no code cache made: ${error instanceof Error ? error.message : String(error)}`);
});
