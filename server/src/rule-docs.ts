import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `rules/openapi/<id>.md`, shipped with the package and the extension; read for SARIF help text and hovers.
 * Compiled (`out/server/src/`) and bundled (`dist/`) code sit at different depths below the package root.
 */
const docsDir = [path.resolve(__dirname, '..', '..', '..', 'rules', 'openapi'), path.resolve(__dirname, '..', 'rules', 'openapi')].find((dir) => existsSync(dir)) ?? '';
const cache = new Map<string, string | undefined>();

/** The docs page of a rule, or undefined when it is not installed. */
export function ruleDocs(ruleId: string): string | undefined {
  if (!cache.has(ruleId)) {
    const file = path.join(docsDir, `${ruleId}.md`);
    cache.set(ruleId, /^[a-z0-9-]+$/.test(ruleId) && existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  }
  return cache.get(ruleId);
}

/** One `## Title` section of a docs page, without its heading. */
export function docsSection(markdown: string, title: string): string | undefined {
  const match = new RegExp(`^## ${title}\\n([\\s\\S]*?)(?=^## |(?![\\s\\S]))`, 'm').exec(markdown);
  return match?.[1]?.trim();
}
