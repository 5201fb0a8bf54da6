import * as assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { allRules } from '../../rules/index';
import { runCli } from '../../server/src/cli/main';

/** Just what the assertions read of a SARIF log. */
interface SarifLogForTest {
  runs: {
    originalUriBaseIds: Record<string, { uri: string }>;
    results: { properties: { category: string }; partialFingerprints: Record<string, string>; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[];
    tool: { driver: { rules: { id: string; helpUri: string; help: { text: string }; fullDescription: { text: string }; properties: { category: string; tags: string[]; 'security-severity': string } }[] } };
  }[];
}

const sourceProject = path.resolve(__dirname, '..', '..', '..', 'test', 'cli', 'project');
const goldenDir = path.resolve(__dirname, '..', '..', '..', 'test', 'cli', 'golden');

/** A fresh copy per run, so tests can add files; the CLI runs in-process with captured output. */
function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-cli-'));
  cpSync(sourceProject, dir, { recursive: true });
  return dir;
}

async function cli(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { cwd, stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), stdoutIsTerminal: false, env: {} });
  return { code, stdout, stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(goldenDir, name);
  if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 to accept)`);
}

describe('cli', () => {
  it('stylish: findings per file, summary by severity and category; parse errors named; ignored folders skipped', async () => {
    const { code, stdout, stderr } = await cli(project());
    assert.equal(code, 1);
    assert.equal(stderr, '');
    golden('stylish.txt', stdout);
    assert.doesNotMatch(stdout, /ignored|generated|node_modules|not-a-spec/);
  });

  it('json output has 1-based positions, references and fixes', async () => {
    const { code, stdout } = await cli(project(), '--format', 'json', 'specs/clinic.yaml');
    assert.equal(code, 1);
    const report = JSON.parse(stdout) as { summary: Record<string, number>; findings: { ruleId: string; line: number; column: number; fixes: { safety: string; edits: { newText: string }[] }[] }[] };
    assert.deepEqual(report.summary, { error: 2, warning: 1, info: 0 });
    const http = report.findings.find((finding) => finding.ruleId === 'server-plaintext-http')!;
    assert.deepEqual([http.line, http.column], [4, 10]);
    assert.deepEqual(http.fixes.map((fix) => [fix.safety, fix.edits[0]!.newText]), [['unsafe', 'https:']]);
  });

  it('sarif output is valid against the official SARIF 2.1.0 schema', async () => {
    const dir = project();
    const { code } = await cli(dir, '--format', 'sarif', '--output', 'out/report.sarif');
    assert.equal(code, 1);
    const log = JSON.parse(readFileSync(path.join(dir, 'out', 'report.sarif'), 'utf8')) as SarifLogForTest;
    const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0]!;
    assert.equal(run.originalUriBaseIds['PROJECTROOT']!.uri.startsWith('file://'), true);
    for (const result of run.results) {
      assert.ok(result.properties.category, 'result without category');
      assert.equal(result.locations[0]!.physicalLocation.artifactLocation.uriBaseId, 'PROJECTROOT');
      assert.doesNotMatch(result.locations[0]!.physicalLocation.artifactLocation.uri, /^\/|^file:/);
    }
    // Every rule every run (stable ruleIndex), within GitHub's limits: 1024 characters of description, 10 tags.
    assert.equal(run.tool.driver.rules.length, allRules.length);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.properties.category && rule.properties.tags.length > 0 && rule.properties['security-severity'] && rule.helpUri && rule.help.text, `incomplete descriptor ${rule.id}`);
      assert.ok(rule.fullDescription.text.length <= 1024 && rule.properties.tags.length <= 10, `descriptor ${rule.id} over GitHub's limits`);
    }
    const fingerprints = run.results.map((result) => result.partialFingerprints['healthlint/v1']);
    assert.equal(new Set(fingerprints).size, fingerprints.length, 'fingerprints are not unique');
    // Rule descriptors carry the docs pages; the golden file pins the rendered results only.
    golden('report.sarif-results.json', JSON.stringify(run.results, null, 2) + '\n');
  });

  it('github annotations escape properties and data', async () => {
    const { stdout } = await cli(project(), '--format', 'github', 'specs/clinic.yaml');
    golden('github.txt', stdout);
  });

  it('sarif and github paths are relative to the repository root, whatever the working directory', async () => {
    const dir = project();
    let stdout = '';
    const io = { cwd: path.join(dir, 'specs'), stdout: (text: string) => (stdout += text), stderr: () => undefined, stdoutIsTerminal: false };
    await runCli(['--format', 'github', 'clinic.yaml'], { ...io, env: { GITHUB_WORKSPACE: dir } });
    assert.match(stdout, /^::error file=specs\/clinic\.yaml,/m);
    stdout = '';
    mkdirSync(path.join(dir, '.git'));
    await runCli(['--format', 'sarif', 'clinic.yaml'], { ...io, env: {} });
    const run = (JSON.parse(stdout) as SarifLogForTest).runs[0]!;
    assert.equal(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'specs/clinic.yaml');
    assert.equal(run.originalUriBaseIds['PROJECTROOT']!.uri, pathToFileURL(dir + path.sep).toString());
  });

  it('exit codes follow --fail-on, --max-warnings and --quiet', async () => {
    const dir = project();
    assert.equal((await cli(dir, 'specs/secure.yaml')).code, 0);
    assert.equal((await cli(dir, '--fail-on', 'never')).code, 0);
    assert.equal((await cli(dir, '--fail-on', 'warning', 'specs/clinic.yaml')).code, 1);
    const quiet = await cli(dir, '--quiet', 'specs/clinic.yaml');
    assert.doesNotMatch(quiet.stdout, / warning /);
    writeFileSync(path.join(dir, 'warn-only.yaml'), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pharmacies:\n    get:\n      responses: {'200': {description: ok}}\n");
    assert.equal((await cli(dir, 'warn-only.yaml')).code, 0);
    assert.equal((await cli(dir, '--max-warnings', '0', 'warn-only.yaml')).code, 1);
    assert.equal((await cli(dir, '--max-warnings', '1', 'warn-only.yaml')).code, 0);
    // --quiet hides warnings but the gates still count them.
    const quietGate = await cli(dir, '--quiet', '--max-warnings', '0', 'warn-only.yaml');
    assert.equal(quietGate.code, 1);
    assert.match(quietGate.stderr, /too many warnings \(1, maximum 0\)/);
    assert.equal((await cli(dir, '--quiet', '--fail-on', 'warning', 'warn-only.yaml')).code, 1);
  });

  it('usage and config errors exit 2 with a clear message', async () => {
    const dir = project();
    const badFormat = await cli(dir, '--format', 'xml');
    assert.deepEqual([badFormat.code, badFormat.stderr.split('\n')[0]], [2, "healthlint: Unknown format 'xml'; use one of: stylish, json, sarif, github"]);
    assert.equal((await cli(dir, '--bogus')).code, 2);
    writeFileSync(path.join(dir, 'bad.yaml'), 'rules:\n  operation-auth-mising: error\n');
    const badRule = await cli(dir, '--config', 'bad.yaml');
    assert.equal(badRule.code, 2);
    assert.match(badRule.stderr, /Unknown rule 'operation-auth-mising'.*did you mean 'operation-auth-missing'/);
    writeFileSync(path.join(dir, 'bad2.yaml'), 'rules:\n  operation-auth-missing: loud\n');
    assert.match((await cli(dir, '--config', 'bad2.yaml')).stderr, /Invalid configuration in .*bad2.yaml: rules.operation-auth-missing: 'loud' is not a setting; use off, info, warning or error/);
    writeFileSync(path.join(dir, 'overrides.yaml'), "overrides:\n  - files: ['*.yaml']\n    rules: {operation-auth-missing: off}\n");
    const overrides = await cli(dir, '--config', 'overrides.yaml');
    assert.equal(overrides.code, 2);
    assert.match(overrides.stderr, /'overrides' in .*overrides.yaml is not supported yet/);
    writeFileSync(path.join(dir, 'twice.yaml'), 'rules:\n  phi-in-url: off\n  phi-in-url: error\n');
    assert.match((await cli(dir, '--config', 'twice.yaml')).stderr, /Config file .*twice.yaml, line 3: Duplicate key 'phi-in-url'/);
    // A path with no spec in it is a mistake in the command, not a clean API.
    mkdirSync(path.join(dir, 'no-specs'));
    const empty = await cli(dir, 'no-specs');
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /no OpenAPI or Swagger description found in 'no-specs'/);
    writeFileSync(path.join(dir, 'bad3.yaml'), 'rules: [unclosed\n');
    assert.match((await cli(dir, '--config', 'bad3.yaml')).stderr, /is not valid YAML\/JSON/);
  });

  it('config: strict raises info findings, options on a rule without options and unknown keys are errors, lookup starts at the linted path', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'optional.yaml'), "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nsecurity: [{k: []}, {}]\npaths:\n  /pharmacies:\n    get:\n      responses: {'200': {description: ok}}\ncomponents: {securitySchemes: {k: {type: http, scheme: bearer}}}\n");
    writeFileSync(path.join(dir, 'strict.yaml'), 'extends: strict\n');
    const strict = await cli(dir, '--config', 'strict.yaml', '--format', 'json', 'optional.yaml');
    assert.deepEqual((JSON.parse(strict.stdout) as { findings: { ruleId: string; severity: string }[] }).findings.map((f) => `${f.ruleId}:${f.severity}`), ['operation-auth-optional:warning']);
    writeFileSync(path.join(dir, 'opts.yaml'), 'rules:\n  phi-in-url: [warning, {bogus: 1}]\n');
    assert.match((await cli(dir, '--config', 'opts.yaml')).stderr, /Rule 'phi-in-url' takes no options/);
    writeFileSync(path.join(dir, 'key.yaml'), 'rule:\n  phi-in-url: off\n');
    assert.match((await cli(dir, '--config', 'key.yaml')).stderr, /unknown key 'rule' \(did you mean 'rules'\?\)/);
    // Run from the parent folder: the project's own .healthlint.yaml (ignore: ignored/) still applies.
    const fromParent = await cli(path.dirname(dir), path.basename(dir));
    assert.doesNotMatch(fromParent.stdout, /ignored/);
  });

  it('--fix-dry-run prints the diff, --fix applies only safe fixes, --fix-unsafe applies contract-changing fixes and reports what remains', async () => {
    const dir = project();
    const file = path.join(dir, 'specs', 'clinic.yaml');
    const original = readFileSync(file, 'utf8');
    const dry = await cli(dir, '--fix-dry-run', '--fix-unsafe', 'specs/clinic.yaml');
    assert.equal(dry.code, 0);
    assert.match(dry.stdout, /^--- a\/specs\/clinic\.yaml\n\+\+\+ b\/specs\/clinic\.yaml\n@@ /);
    assert.match(dry.stdout, /\n- {2}- url: http:\/\/clinic\.example\.org\/api\n/);
    assert.match(dry.stdout, /\n\+ {2}- url: https:\/\/clinic\.example\.org\/api\n/);
    assert.match(dry.stdout, /\n\+ {6}security:\n\+ {8}- bearerAuth: \[\]\n/);
    assert.equal(readFileSync(file, 'utf8'), original);
    const safeOnly = await cli(dir, '--fix', 'specs/clinic.yaml');
    assert.match(safeOnly.stderr, /applied 0 fixes in 0 files/);
    assert.equal(readFileSync(file, 'utf8'), original);
    // Both operations' fixes add `components`: the second overlaps the first and is applied in a second pass on the
    // re-linted file, as in ESLint, so one run leaves nothing fixable.
    const unsafe = await cli(dir, '--fix-unsafe', '--format', 'json', 'specs/clinic.yaml');
    assert.match(unsafe.stderr, /applied 3 fixes in 1 file/);
    const fixed = readFileSync(file, 'utf8');
    assert.ok(fixed.includes('  - url: https://clinic.example.org/api\n') && fixed.includes('    bearerAuth:\n      type: http\n      scheme: bearer\n'));
    assert.equal(fixed.match(/security:\n\s+- bearerAuth: \[\]\n/g)?.length, 2);
    assert.deepEqual((JSON.parse(unsafe.stdout) as { findings: unknown[] }).findings, []);
    const second = await cli(dir, '--fix-unsafe', 'specs/clinic.yaml');
    assert.equal(second.code, 0);
    assert.match(second.stderr, /applied 0 fixes in 0 files/);
  });

  it('names unreadable inputs and goes on with the rest', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'specs', 'binary.yaml'), Buffer.from([0x6f, 0x70, 0x00, 0x01, 0x02]));
    const result = await cli(dir, 'specs/binary.yaml', 'missing.yaml', 'specs/not-a-spec.json', 'specs/clinic.yaml');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /specs\/binary.yaml: skipped, binary file/);
    assert.match(result.stderr, /missing.yaml: no such file or folder/);
    assert.match(result.stderr, /not-a-spec.json: not an OpenAPI or Swagger description/);
    assert.match(result.stdout, /server-plaintext-http/);
  });

  it('skips devices, reads pipes up to the size limit', async function () {
    if (process.platform === 'win32') this.skip();
    const dir = project();
    // `/dev/zero` never ends: reading it would fill memory. A named pipe is read like a file.
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    const fifo = path.join(dir, 'piped.yaml');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `cat specs/clinic.yaml > piped.yaml`], { cwd: dir });
    const written = new Promise((resolve) => writer.on('close', resolve));
    const result = await cli(dir, '--format', 'json', 'zero.yaml', 'piped.yaml');
    await written;
    assert.match(result.stderr, /zero.yaml: skipped, not a regular file/);
    const findings = (JSON.parse(result.stdout) as { findings: { file: string; ruleId: string }[] }).findings;
    assert.ok(findings.some((finding) => finding.file === 'piped.yaml' && finding.ruleId === 'server-plaintext-http'));
  });

  it('--fix keeps a byte-order mark and its offsets, leaves a file that is not UTF-8 alone, and lints UTF-16', async () => {
    const dir = project();
    const spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers:\n  - url: http://api.example.org\npaths: {}\n";
    writeFileSync(path.join(dir, 'bom.yaml'), '\ufeff' + spec);
    // Latin-1 bytes (0xfc is 'ü'): decoding and re-encoding as UTF-8 would replace it.
    const latin1 = Buffer.concat([Buffer.from('openapi: 3.0.3\ninfo: {title: Gr'), Buffer.from([0xfc]), Buffer.from("n, version: '1'}\nservers:\n  - url: http://api.example.org\npaths: {}\n")]);
    writeFileSync(path.join(dir, 'latin1.yaml'), latin1);
    writeFileSync(path.join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(spec, 'utf16le')]));
    const fixed = await cli(dir, '--fix-unsafe', '--format', 'json', 'bom.yaml', 'latin1.yaml');
    assert.equal(readFileSync(path.join(dir, 'bom.yaml'), 'utf8'), '\ufeff' + spec.replace('http://', 'https://'));
    assert.ok(readFileSync(path.join(dir, 'latin1.yaml')).equals(latin1));
    assert.match(fixed.stderr, /latin1.yaml: not fixed: the file is not UTF-8/);
    const utf16 = await cli(dir, '--format', 'json', 'utf16.yaml');
    const findings = (JSON.parse(utf16.stdout) as { findings: { ruleId: string; line: number; column: number }[] }).findings;
    assert.deepEqual(findings.map((finding) => [finding.ruleId, finding.line, finding.column]), [['server-plaintext-http', 4, 10]]);
  });

  it('applies .gitignore files above a linted folder up to the repository root, and none beyond it', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'healthlint-home-'));
    // A dotfiles repository in the home folder ignores everything; the project below is a repository of its own.
    writeFileSync(path.join(home, '.gitignore'), '*\n!.gitignore\n');
    const project = path.join(home, 'proj');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    mkdirSync(path.join(project, 'api', 'generated'), { recursive: true });
    writeFileSync(path.join(project, '.gitignore'), 'generated/\n');
    const spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'http://api.example.org'}]\npaths: {}\n";
    writeFileSync(path.join(project, 'api', 'spec.yaml'), spec);
    writeFileSync(path.join(project, 'api', 'generated', 'spec.yaml'), spec);
    const files = async (cwd: string, ...paths: string[]) =>
      [...new Set((JSON.parse((await cli(cwd, '--format', 'json', ...paths)).stdout) as { findings: { file: string }[] }).findings.map((finding) => finding.file))];
    assert.deepEqual(await files(project, '.'), ['api/spec.yaml']);
    // From a subfolder, the repository root's .gitignore still applies.
    assert.deepEqual(await files(path.join(project, 'api'), '.'), ['spec.yaml']);
  });

  it('each file gets its nearest config, whatever the order of the paths', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'healthlint-configs-'));
    const spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nservers: [{url: 'http://api.example.org'}]\npaths: {}\n";
    for (const folder of ['a', 'b', path.join('a', 'build')]) mkdirSync(path.join(dir, folder), { recursive: true });
    writeFileSync(path.join(dir, 'a', '.healthlint.yaml'), 'rules:\n  server-plaintext-http: off\nignore:\n  - build/\n');
    for (const file of ['a/spec.yaml', 'b/spec.yaml', 'a/build/spec.yaml']) writeFileSync(path.join(dir, file), spec);
    const files = async (...paths: string[]) =>
      (JSON.parse((await cli(dir, '--format', 'json', ...paths)).stdout) as { findings: { file: string; ruleId: string }[] }).findings.map((finding) => `${finding.file} ${finding.ruleId}`);
    assert.deepEqual(await files('a', 'b'), ['b/spec.yaml server-plaintext-http']);
    assert.deepEqual(await files('b', 'a'), ['b/spec.yaml server-plaintext-http']);
    // Walked from above, a's own config still switches the rule off for a's files and drops its build/ folder.
    assert.deepEqual(await files('.'), ['b/spec.yaml server-plaintext-http']);
  });

  it('output is deterministic', async () => {
    const dir = project();
    const first = await cli(dir, '--format', 'json');
    const second = await cli(dir, '--format', 'json');
    assert.equal(first.stdout, second.stdout);
  });
});
