import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { allRules } from '../../rules/index';
import { resolveConfig } from '../../server/src/engine/config';
import { DocumentCache } from '../../server/src/engine/documents/document-cache';
import { parseSourceText } from '../../server/src/engine/documents/parse';
import type { SourceDocument } from '../../server/src/engine/documents/source-document';
import { lintText, type LintSettings } from '../../server/src/engine/linter';
import { walkMembers, WalkCache, type ReplayableVisitor } from '../../server/src/engine/member-walk';
import { changedPath, SchemaMemoCache } from '../../server/src/engine/model/schema-memos';
import { seededRandom } from '../harness/random';

const repo = path.resolve(__dirname, '..', '..', '..');
const settings = resolveConfig({ extends: 'all' }, allRules, process.cwd()).settings;
/** Secrets, credential URLs, PHI examples and broken `$ref`s at every depth, above and below the cached subtrees. */
const walkYaml = path.join(repo, 'test', 'engine', 'relint-caches', 'walk.yaml');
const walkJson = path.join(repo, 'test', 'engine', 'relint-caches', 'walk.json');
const vitalink = path.join(repo, 'examples', 'vitalink-wearables', 'openapi.yaml');
const dexcom = path.join(repo, '..', 'shared', 'corpus', 'specs', 'health', 'dexcom-openapi.json');

function asJson(file: string): string {
  const parsed = parseSourceText(file, readFileSync(file, 'utf8'));
  assert.ok('document' in parsed);
  return JSON.stringify(parsed.document.value, null, 2);
}

const specs = [
  { file: walkYaml, text: readFileSync(walkYaml, 'utf8') },
  // Not on disk: JSON is re-parsed string by string (json-reparse), YAML by yaml-reparse; both share subtrees.
  { file: walkJson, text: asJson(walkYaml) },
  { file: vitalink, text: readFileSync(vitalink, 'utf8') },
  ...(existsSync(dexcom) ? [{ file: dexcom, text: readFileSync(dexcom, 'utf8') }] : []),
];


/** Characters that turn values into secrets, URLs with user-info and e-mail addresses, or break the document. */
const ALPHABET = ['a', 'Z', '0', '5', '@', ':', '/', '.', ' ', '_', 'k', '#', '"', '\n'];
const ROUNDS = Number(process.env['RELINT_ROUNDS'] ?? 120);
const SEED = Number(process.env['RELINT_SEED'] ?? 11);

function cachedSettings(): LintSettings {
  return { ...settings, load: { ...settings.load, documents: new DocumentCache() }, walkCache: new WalkCache(), schemaMemos: new SchemaMemoCache() };
}

describe('re-lint caches (walk observations and PHI search results kept across edits)', () => {
  for (const spec of specs) {
    it(`gives the findings of a fresh lint through a chain of random edits: ${path.basename(spec.file)}`, async function () {
      this.timeout(300_000);
      const next = seededRandom(SEED);
      const cached = cachedSettings();
      let text = spec.text;
      await lintText(spec.file, text, cached, true);
      let changedFindings = 0;
      let previousFresh = JSON.stringify((await lintText(spec.file, text, settings, true)).findings);
      for (let round = 0; round < ROUNDS; round++) {
        const at = Math.floor(next() * text.length);
        const edited = next() < 0.4 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + ALPHABET[Math.floor(next() * ALPHABET.length)] + text.slice(at);
        const fresh = await lintText(spec.file, edited, settings, true);
        const incremental = await lintText(spec.file, edited, cached, true);
        assert.deepEqual(incremental, fresh, `round ${round} (seed ${SEED}): edit at offset ${at}`);
        const freshText = JSON.stringify(fresh.findings);
        if (freshText !== previousFresh) changedFindings++;
        previousFresh = freshText;
        // Invalid documents are linted too, but the chain goes on from valid text.
        if (fresh.status === 'spec') text = edited;
      }
      // The edits must also change findings, or the comparison proves little.
      assert.ok(changedFindings > ROUNDS / 20, `only ${changedFindings} of ${ROUNDS} edits changed the findings`);
    });
  }

  /**
   * Lints `file` (walk.yaml) with the caches, edits `from` into `to`, and checks that the findings `counted` go
   * from `before` to `after`, and that the cached re-lint equals a fresh one.
   */
  async function editChangesCount(from: string, to: string, counted: (finding: { ruleId: string; message: string }) => boolean, before: number, after: number, file = walkYaml): Promise<void> {
    const cached = cachedSettings();
    const text = readFileSync(file, 'utf8');
    const edited = text.replace(from, to);
    assert.notEqual(edited, text);
    assert.equal((await lintText(file, text, cached, true)).findings.filter(counted).length, before);
    const incremental = await lintText(file, edited, cached, true);
    assert.equal(incremental.findings.filter(counted).length, after);
    assert.deepEqual(incremental, await lintText(file, edited, settings, true));
  }

  it('re-reads a subtree whose containers changed a scalar above it (the owner name of an example)', async () => {
    // `components/x-thing/name` is a scalar of the container above the cached `example` subtree.
    await editChangesCount('x-thing:\n    name: ssn', 'x-thing:\n    name: ssx', (finding) => finding.ruleId === 'phi-in-example' && finding.message.includes("of 'ssn'"), 2, 1);
  });

  it("re-reads every example when the provider's own domains change (a server URL)", async () => {
    await editChangesCount('https://api.clinic-portal.org/v1', 'https://api.clinic-portal.net/v1', (finding) => finding.ruleId === 'phi-in-example' && finding.message.includes("of 'nurse'"), 0, 1);
  });

  it("searches schemas again after an edit inside a $ref target (a component's data classification)", async () => {
    // `/devices/{id}` reaches the classified field through the Device schema, which itself does not change.
    const readings = (finding: { ruleId: string; message: string }) => finding.ruleId === 'phi-response-unauthenticated' && /GET \/devices\/\{id\}(\/readings)? /.test(finding.message);
    await editChangesCount('x-data-classification: health}', 'x-data-classification: healthy}', readings, 2, 0);
  });

  it('keeps no result that a cycle cut short: it depends on where the search came in', async () => {
    const cycle = path.join(repo, 'test', 'engine', 'relint-caches', 'cycle.yaml');
    const firstCarriesPhi = (finding: { ruleId: string; message: string }) => finding.ruleId === 'phi-response-unauthenticated' && finding.message.startsWith('GET /first ');
    await editChangesCount("$ref: '#/components/schemas/Other'", "$ref: '#/components/schemas/B'", firstCarriesPhi, 0, 1, cycle);
  });

  it('keeps no earlier parse alive through kept results', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const documents = new DocumentCache();
    const parsed: WeakRef<object>[] = [];
    const parse = documents.parse.bind(documents);
    documents.parse = (uri, text) => {
      const result = parse(uri, text);
      if ('document' in result && uri === walkJson) parsed.push(new WeakRef(result.document));
      return result;
    };
    const cached = { ...cachedSettings(), load: { ...settings.load, documents } };
    // Edits inside the inline response schemas of two operations, in turn: both keep PHI results.
    let text = JSON.stringify(JSON.parse(asJson(walkYaml)), null, 1);
    for (let round = 0; round < 12; round++) {
      text = text.replace(round % 2 === 0 ? 'Reads one patient.' : 'Registers a device.', (found) => `${found} `);
      await lintText(walkJson, text, cached, true);
    }
    collectGarbage();
    await new Promise((resolve) => setTimeout(resolve, 20));
    collectGarbage();
    // The document cache's own, the latest.
    assert.ok(parsed.filter((ref) => ref.deref() !== undefined).length === 1, `${parsed.filter((ref) => ref.deref() !== undefined).length} of ${parsed.length} parses alive`);
  });

  it('finds where a re-parse changed a value: one string, or the container of several changes', () => {
    const before = { a: { b: ['x', { c: 'y' }], d: 'z' }, e: {} };
    const oneString = { ...before, a: { ...before.a, b: [before.a.b[0], { c: 'y2' }] } };
    assert.deepEqual(changedPath(before, oneString), ['a', 'b', 1, 'c']);
    assert.deepEqual(changedPath(before, { ...before, a: { ...before.a, d: 'z2', b: ['x2', before.a.b[1]] } }), ['a']);
    assert.deepEqual(changedPath(before, { ...before, e: { added: 1 } }), ['e']);
    assert.equal(changedPath(before, before), undefined);
  });

  it('replays what it can: an edit inside one operation visits only the subtrees on its path', () => {
    const documents = new DocumentCache();
    const cache = new WalkCache();
    const json = asJson(walkYaml);
    let visits = 0;
    const visitor: ReplayableVisitor<string> = {
      cacheKey: 'strings',
      member(_doc, memberPath, _key, value, _container, _depth, emit) {
        visits++;
        if (typeof value === 'string') emit(`${memberPath.join('/')}=${value}`);
      },
    };
    const walk = (text: string) => {
      const parsed = documents.parse(walkJson, text);
      assert.ok('document' in parsed);
      let seen: readonly string[] = [];
      walkMembers([parsed.document as SourceDocument], [{ ...visitor, done: (observed) => (seen = observed.map((item) => item.observation as string)) }], (_visitor, error) => assert.fail(String(error)), cache);
      return seen;
    };
    walk(json);
    const everything = visits;
    visits = 0;
    const edited = json.replace('Registers a device.', 'Registers one device.');
    const observed = walk(edited);
    // The root's scalar `openapi`, `/paths`, `/devices`, its operation and that operation's members.
    assert.equal(visits, 13, `${visits} of ${everything} members visited again`);
    assert.ok(observed.includes('paths//devices/post/summary=Registers one device.'));
    assert.deepEqual(observed, walkFresh(edited, visitor));
  });
});

function walkFresh(text: string, visitor: ReplayableVisitor<string>): readonly string[] {
  const parsed = parseSourceText(walkJson, text);
  assert.ok('document' in parsed);
  let seen: readonly string[] = [];
  walkMembers([parsed.document], [{ ...visitor, done: (observed) => (seen = observed.map((item) => item.observation as string)) }], (_visitor, error) => assert.fail(String(error)));
  return seen;
}
