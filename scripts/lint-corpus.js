// Development aid: lints every spec under ../shared/corpus/specs with only the given rules and prints
// per-rule counts and sample findings, for false-positive review. Usage: node scripts/lint-corpus.js rule-a rule-b [--all]
const fs = require('node:fs');
const path = require('node:path');
const { lintText } = require('../out/server/src/engine/linter');
const { resolveConfig } = require('../out/server/src/engine/config');
const { allRules } = require('../out/rules/index');

const args = process.argv.slice(2);
const showAll = args.includes('--all');
const ids = args.filter((arg) => !arg.startsWith('--'));
const rules = Object.fromEntries(allRules.map((rule) => [rule.meta.id, ids.length === 0 || ids.includes(rule.meta.id) ? rule.meta.defaultSeverity : 'off']));
const config = resolveConfig({ extends: 'strict', rules }, allRules, process.cwd());
const corpus = path.resolve(__dirname, '..', '..', 'shared', 'corpus', 'specs');
const files = [];
(function walk(dir) {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (fs.statSync(full).isDirectory()) walk(full);
    else if (/\.(ya?ml|json)$/.test(name)) files.push(full);
  }
})(corpus);
(async () => {
  const counts = new Map();
  for (const file of files) {
    const result = await lintText(file, fs.readFileSync(file, 'utf8'), config.settings);
    if (result.status !== 'spec') continue;
    for (const failure of result.ruleFailures) console.log('RULE FAILURE', failure.ruleId, path.relative(corpus, file), failure.message);
    const perRule = new Map();
    for (const finding of result.findings) {
      counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
      perRule.set(finding.ruleId, (perRule.get(finding.ruleId) ?? 0) + 1);
      if (showAll || perRule.get(finding.ruleId) <= 3) {
        console.log(`${path.relative(corpus, finding.uri)}:${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.severity} ${finding.ruleId}: ${finding.message}`);
      }
    }
  }
  console.log('\nCounts:');
  for (const [id, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${count}\t${id}`);
})();
