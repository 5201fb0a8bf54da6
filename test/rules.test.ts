import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseWithPointers } from '@stoplight/yaml';
import { allRules } from '../rules/index';
import { compareWithExpectations, readExpectations } from './harness/fixture-expectations';
import { applyEdits, coveredText, lintWithRules } from './harness/lint-for-test';

const repoRoot = path.resolve(__dirname, '..', '..');
const fixturesRoot = path.join(repoRoot, 'test', 'fixtures');
const rulesRoot = path.join(repoRoot, 'rules', 'openapi');
const SPEC_FILE = /\.(ya?ml|json)$/i;

/** Per-fixture rule options: a first-line comment `# rule-options: {...}` or a sidecar `<file>.options.json`. */
function fixtureOptions(filePath: string): Record<string, unknown> {
  if (existsSync(filePath + '.options.json')) return JSON.parse(readFileSync(filePath + '.options.json', 'utf8')) as Record<string, unknown>;
  const firstLine = readFileSync(filePath, 'utf8').split('\n', 1)[0] ?? '';
  const match = /^#\s*rule-options:\s*(\{.*\})\s*$/.exec(firstLine);
  return match ? (JSON.parse(match[1]!) as Record<string, unknown>) : {};
}

function isSpecRoot(filePath: string): boolean {
  return /^\s*["']?(openapi|swagger)["']?\s*:/m.test(readFileSync(filePath, 'utf8'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'fixes' ? [] : filesUnder(full);
    return SPEC_FILE.test(name) ? [full] : [];
  });
}

describe('rules: fixtures with inline expectations', () => {
  for (const rule of allRules) {
    const id = rule.meta.id;
    describe(id, () => {
      const dir = path.join(fixturesRoot, id);

      it('has a docs page, fixtures with true positives and clean look-alikes', () => {
        assert.ok(existsSync(path.join(rulesRoot, `${id}.md`)), `rules/openapi/${id}.md is missing`);
        assert.ok(existsSync(dir), `test/fixtures/${id}/ is missing`);
        const expectations = filesUnder(dir).flatMap((file) => readExpectations(file)).filter((expectation) => expectation.ruleId === id);
        assert.ok(expectations.some((expectation) => expectation.kind === 'expect'), 'no `expect:` annotation');
        assert.ok(expectations.some((expectation) => expectation.kind === 'ok'), 'no `ok:` annotation (clean look-alike)');
      });

      if (!existsSync(dir)) return;
      const files = filesUnder(dir);
      for (const file of files.filter(isSpecRoot)) {
        it(path.relative(dir, file), async () => {
          const result = await lintWithRules(file, [id], fixtureOptions(file));
          const problems: string[] = [];
          for (const candidate of files) {
            // Referenced component files are checked with the root that pulls them in; other roots have their own test.
            if (candidate !== file && (isSpecRoot(candidate) || !result.files.includes(candidate))) continue;
            const findings = result.findings.filter((finding) => finding.uri === candidate);
            problems.push(...compareWithExpectations(path.relative(repoRoot, candidate), findings, readExpectations(candidate), coveredText));
          }
          const stray = result.findings.filter((finding) => !files.includes(finding.uri));
          problems.push(...stray.map((finding) => `Extra (outside fixtures): ${finding.uri} ${finding.ruleId}`));
          assert.deepEqual(problems, [], problems.join('\n'));
        });
      }

      const fixesDir = path.join(dir, 'fixes');
      if (existsSync(fixesDir)) {
        for (const input of readdirSync(fixesDir).filter((name) => /\.input\.(ya?ml|json)$/.test(name))) {
          it(`fix: ${input}`, async () => {
            const inputPath = path.join(fixesDir, input);
            const expected = readFileSync(inputPath.replace('.input.', '.output.'), 'utf8');
            const result = await lintWithRules(inputPath, [id], fixtureOptions(inputPath));
            const edits = result.findings.filter((finding) => finding.ruleId === id && finding.fixes[0]).flatMap((finding) => finding.fixes[0]!.edits);
            assert.ok(edits.length > 0, 'no fix offered');
            assert.equal(applyEdits(readFileSync(inputPath, 'utf8'), edits), expected);
          });
        }
      }
    });
  }
});

/** How many arrays in a parsed document hold the same string twice. */
function listsWithRepeats(value: unknown): number {
  if (Array.isArray(value)) {
    const strings = value.filter((item) => typeof item === 'string');
    return (new Set(strings).size < strings.length ? 1 : 0) + value.reduce((sum: number, item) => sum + listsWithRepeats(item), 0);
  }
  return value !== null && typeof value === 'object' ? Object.values(value).reduce((sum: number, item) => sum + listsWithRepeats(item), 0) : 0;
}

/**
 * Every fix offered on a fixture, applied alone, leaves a document that parses without errors or duplicate keys
 * (the YAML parser reads JSON too and, asked to, reports duplicate keys in both), so a quick fix never breaks a spec.
 */
describe('rules: every fix leaves a valid document', () => {
  for (const rule of allRules.filter((candidate) => !candidate.meta.engineReported)) {
    const id = rule.meta.id;
    it(id, async () => {
      const problems: string[] = [];
      let fixes = 0;
      for (const file of filesUnder(path.join(fixturesRoot, id)).filter(isSpecRoot)) {
        const result = await lintWithRules(file, [id], fixtureOptions(file));
        for (const finding of result.findings.filter((candidate) => candidate.ruleId === id)) {
          for (const fix of finding.fixes) {
            fixes++;
            for (const uri of new Set(fix.edits.map((edit) => edit.uri))) {
              const fixed = applyEdits(readFileSync(uri, 'utf8'), fix.edits.filter((edit) => edit.uri === uri));
              const parsed = parseWithPointers(fixed, { ignoreDuplicateKeys: false });
              const errors = parsed.diagnostics.filter((diagnostic) => diagnostic.severity === 0);
              const where = `${path.relative(repoRoot, uri)} after "${fix.title}" (finding at line ${finding.range.start.line + 1})`;
              if (errors.length > 0) problems.push(`${where}: ${errors[0]!.message.split('\n')[0]}`);
              // Nor a list holding the same string twice (a scope required twice) where the original had none.
              else if (listsWithRepeats(parsed.data) > listsWithRepeats(parseWithPointers(readFileSync(uri, 'utf8')).data)) problems.push(`${where}: a list repeats an item`);
            }
          }
        }
      }
      assert.deepEqual(problems, [], problems.join('\n'));
      if (rule.meta.fixSafety) assert.ok(fixes > 0, 'the rule has fixes, but none was offered on its fixtures');
    });
  }
});

/** Docs examples are linted, so a page never shows an example the rule disagrees with. */
describe('rules: docs examples', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'healthlint-docs-'));
  for (const rule of allRules.filter((candidate) => !candidate.meta.engineReported)) {
    const id = rule.meta.id;
    it(`${id}.md: incorrect examples are reported, correct ones are clean`, async () => {
      const docs = readFileSync(path.join(rulesRoot, `${id}.md`), 'utf8');
      const sections = [...docs.matchAll(/^##\s+(Incorrect|Correct)\b[^\n]*\n([\s\S]*?)(?=^##\s|(?![\s\S]))/gm)];
      assert.ok(sections.some((section) => section[1] === 'Incorrect'), 'no "## Incorrect" section');
      assert.ok(sections.some((section) => section[1] === 'Correct'), 'no "## Correct" section');
      let count = 0;
      for (const [, kind, body] of sections) {
        for (const block of body!.matchAll(/```(yaml|json)\n([\s\S]*?)```/g)) {
          const file = path.join(work, `${id}-${count++}.${block[1]}`);
          writeFileSync(file, block[2]!);
          const result = await lintWithRules(file, [id]);
          const own = result.findings.filter((finding) => finding.ruleId === id);
          if (kind === 'Incorrect') assert.ok(own.length > 0, `incorrect example ${count} is not reported:\n${block[2]}`);
          else assert.deepEqual(own.map((finding) => finding.message), [], `correct example ${count} is reported`);
        }
      }
      assert.ok(count >= 2, 'needs at least one incorrect and one correct example');
    });
  }
});
