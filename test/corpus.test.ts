import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { resolveConfig } from '../server/src/engine/config';
import { lintText } from '../server/src/engine/linter';
import { allRules } from '../rules/index';

/** The real third-party specs handed to the project (../shared/corpus); absent on a machine without them. */
const corpus = path.resolve(__dirname, '..', '..', '..', 'shared', 'corpus', 'specs');

function specFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return specFiles(full);
    return /\.(ya?ml|json)$/i.test(name) ? [full] : [];
  });
}

describe('real specs in ../shared/corpus', function () {
  this.timeout(120_000);
  const present = existsSync(corpus);
  (present ? it : it.skip)('every file lints with every rule on, without a crash or a rule failure', async () => {
    const config = resolveConfig({ extends: 'all' }, allRules, corpus);
    const problems: string[] = [];
    let specs = 0;
    for (const file of specFiles(corpus)) {
      try {
        const result = await lintText(file, readFileSync(file, 'utf8'), config.settings);
        if (result.status === 'spec') specs++;
        for (const failure of result.ruleFailures) problems.push(`${path.relative(corpus, file)}: rule ${failure.ruleId} failed: ${failure.message}`);
        for (const finding of result.findings) {
          if (finding.range.start.line < 0 || finding.range.endOffset < finding.range.startOffset) problems.push(`${path.relative(corpus, file)}: bad range from ${finding.ruleId}`);
        }
      } catch (error) {
        problems.push(`${path.relative(corpus, file)}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(specs >= 20, `only ${specs} specs recognised`);
  });
});
