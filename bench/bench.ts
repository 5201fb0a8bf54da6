/**
 * `npm run bench`: healthlint against Redocly CLI and Spectral + OWASP ruleset, side by side in one run,
 * cold (a fresh process per run), on the large real specs and the health corpus. Prints wall time, peak
 * memory (max RSS, from GNU time) and ratios. Absolute times are noisy on 2-core machines; ratios from the
 * same run are what to compare.
 *
 * Options: --runs N (default 5; Spectral always runs once per target, it takes minutes), --skip-spectral,
 * --skip-lsp, --only <name-substring>, --keep-ca-certs (see `toolEnvironment`), --node-options "<options>" (for
 * every tool alike).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const corpus = path.resolve(repoRoot, '..', 'shared', 'corpus', 'specs');
const bin = (name: string) => path.join(repoRoot, 'node_modules', '.bin', name);

interface Measurement {
  readonly seconds: number;
  readonly peakMb: number;
  readonly ok: boolean;
  readonly note?: string;
}

interface Target {
  readonly name: string;
  /** Paths passed to each tool (a folder for healthlint, the files for peers that take files). */
  readonly healthlintArgs: string[];
  readonly files: string[];
}

const argv = process.argv.slice(2);
// Five by default: with three, one run in a slow minute of the machine moves a median.
const runs = (argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : 5) || 5;
const skipSpectral = argv.includes('--skip-spectral');
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
const hasGnuTime = existsSync('/usr/bin/time');
const work = mkdtempSync(path.join(tmpdir(), 'healthlint-bench-'));

/** Spectral's OWASP ruleset, and the same without the rule that throws on GitHub's description. */
const spectralRuleset = path.join(work, 'owasp.yaml');
writeFileSync(spectralRuleset, "extends: ['@stoplight/spectral-owasp-ruleset']\n");
const spectralRulesetNoApi1 = path.join(work, 'owasp-no-api1.yaml');
writeFileSync(spectralRulesetNoApi1, "extends: ['@stoplight/spectral-owasp-ruleset']\nrules:\n  owasp:api1:2023-no-numeric-ids: off\n");

/**
 * The environment every measured tool runs in: this one, without colour, telemetry or update checks, and without
 * `NODE_EXTRA_CA_CERTS`. With that variable set, Node parses its whole bundled root-certificate store and the
 * named file before running any script: about 80 ms per process on these machines, for TLS that neither
 * healthlint nor a peer uses on a local file. It is dropped for every tool alike; `--keep-ca-certs` keeps it.
 */
const keepCaCerts = argv.includes('--keep-ca-certs');
/** `--node-options "..."`: Node options for every tool alike (e.g. `--v8-pool-size=1`, which helped healthlint alone on 2 cores). */
const nodeOptions = argv.includes('--node-options') ? argv[argv.indexOf('--node-options') + 1] : undefined;
const toolEnvironment: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
if (!keepCaCerts) delete toolEnvironment['NODE_EXTRA_CA_CERTS'];
if (nodeOptions) toolEnvironment['NODE_OPTIONS'] = [toolEnvironment['NODE_OPTIONS'], nodeOptions].filter(Boolean).join(' ');

function measure(command: string, args: string[], env: Record<string, string> = {}): Measurement {
  const started = process.hrtime.bigint();
  const full = hasGnuTime ? ['/usr/bin/time', ['-f', '__TIME__ %e %M', command, ...args]] as const : [command, args] as const;
  const result = spawnSync(full[0], full[1], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 20 * 60 * 1000,
    // A tool's own Node options (Spectral's heap size) come after the shared ones.
    env: { ...toolEnvironment, ...env, ...(env['NODE_OPTIONS'] && toolEnvironment['NODE_OPTIONS'] ? { NODE_OPTIONS: `${toolEnvironment['NODE_OPTIONS']} ${env['NODE_OPTIONS']}` } : {}) },
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const timeLine = /__TIME__ ([\d.]+) (\d+)/.exec(result.stderr ?? '');
  const code = result.status;
  // Linters exit 1 when they find problems; only a signal or another code is a crash.
  const ok = code === 0 || code === 1;
  const note = ok ? undefined : result.signal ? `killed by ${result.signal}` : `exit ${code}: ${(result.stderr ?? '').split('\n').filter((line) => line && !line.startsWith('__TIME__')).slice(-2).join(' ').slice(0, 160)}`;
  return { seconds: timeLine ? Number(timeLine[1]) : wall, peakMb: timeLine ? Number(timeLine[2]) / 1024 : NaN, ok, ...(note ? { note } : {}) };
}

function median(values: Measurement[]): Measurement {
  const sorted = [...values].sort((a, b) => a.seconds - b.seconds);
  const middle = sorted[Math.floor(sorted.length / 2)]!;
  return { ...middle, peakMb: Math.max(...values.map((value) => value.peakMb)) };
}

/**
 * Runs of two tools alternated (ours, theirs, ours, theirs...), each summarised by its median: this machine's
 * speed drifts by tens of percent within minutes, and running one tool's block after the other's put that
 * drift into the ratio.
 */
function alternate(times: number, ours: () => Measurement, theirs: () => Measurement): [Measurement, Measurement] {
  const oursRuns: Measurement[] = [];
  const theirRuns: Measurement[] = [];
  for (let run = 0; run < times; run++) {
    oursRuns.push(ours());
    theirRuns.push(theirs());
  }
  return [median(oursRuns), median(theirRuns)];
}

const targets: Target[] = [
  { name: 'GitHub REST (13 MB JSON)', healthlintArgs: [path.join(corpus, 'large', 'github-api.github.com.json')], files: [path.join(corpus, 'large', 'github-api.github.com.json')] },
  { name: 'Stripe (3 MB JSON)', healthlintArgs: [path.join(corpus, 'large', 'stripe-spec3.json')], files: [path.join(corpus, 'large', 'stripe-spec3.json')] },
  { name: 'CMS Blue Button (2.4 MB YAML)', healthlintArgs: [path.join(corpus, 'large', 'cms-bluebutton-openapi.yaml')], files: [path.join(corpus, 'large', 'cms-bluebutton-openapi.yaml')] },
  {
    name: 'health corpus (26 specs, folder)',
    healthlintArgs: [path.join(corpus, 'health')],
    files: [
      ...['dexcom-openapi.json', 'nhs-booking-and-referral-1.4.0.yaml', 'nhs-immunisation-fhir-api.yaml', 'openemr-api.yaml', 'source-health-spec3.yml', 'terra-v2-bundled.yaml', 'withings-openapi.yaml'].map((name) => path.join(corpus, 'health', name)),
      path.join(corpus, 'health', 'nhs-personal-demographics', 'personal-demographics.yaml'),
      path.join(corpus, 'health', 'nhs-summary-care-record', 'summary-care-record.yaml'),
      path.join(corpus, 'health', 'apis-guru', '*.json'),
    ],
  },
].filter((target) => !only || target.name.toLowerCase().includes(only.toLowerCase()));

function format(measurement: Measurement | undefined): string {
  if (!measurement) return 'skipped';
  const text = `${measurement.seconds.toFixed(2)} s, ${Number.isNaN(measurement.peakMb) ? '?' : Math.round(measurement.peakMb)} MB`;
  return measurement.ok ? text : `${text} (failed: ${measurement.note})`;
}

function ratio(peer: Measurement | undefined, ours: Measurement): string {
  if (!peer || !peer.ok) return '-';
  return `${(peer.seconds / ours.seconds).toFixed(1)}x`;
}

const rows: string[] = [];
console.log(`healthlint benchmark: ${runs} cold run(s) per tool, healthlint and Redocly alternated (median time, max peak memory); Spectral once per target.`);
if (nodeOptions) console.log(`Every tool runs with NODE_OPTIONS=${toolEnvironment['NODE_OPTIONS']}.`);
if (process.env['NODE_EXTRA_CA_CERTS']) console.log(keepCaCerts ? 'NODE_EXTRA_CA_CERTS is set and kept for every tool (--keep-ca-certs): each Node start-up parses the root certificates first.' : 'NODE_EXTRA_CA_CERTS is set here; every tool runs without it (see --keep-ca-certs).');
if (!hasGnuTime) console.log('(GNU time not found at /usr/bin/time: peak memory unavailable; apt-get install time)');
for (const target of targets) {
  console.log(`\n== ${target.name}`);
  const [ours, redocly] = alternate(
    runs,
    () => measure(process.execPath, [path.join(repoRoot, 'out', 'server', 'src', 'cli', 'bin.js'), ...target.healthlintArgs, '--format', 'json', '--output', path.join(work, 'healthlint.json'), '--fail-on', 'never']),
    () => measure(bin('redocly'), ['lint', ...target.files.flatMap((file) => (file.includes('*') ? expandGlob(file) : [file])), '--format', 'summary', '--max-problems', '1']),
  );
  console.log(`  healthlint             ${format(ours)}`);
  console.log(`  Redocly CLI lint       ${format(redocly)}   healthlint is ${ratio(redocly, ours)} faster`);
  let spectral: Measurement | undefined;
  let spectralReduced: Measurement | undefined;
  if (!skipSpectral) {
    const spectralArgs = (ruleset: string) => ['lint', ...target.files, '--ruleset', ruleset, '--format', 'json', '--output', path.join(work, 'spectral.json'), '--quiet'];
    spectral = measure(bin('spectral'), spectralArgs(spectralRuleset), { NODE_OPTIONS: '--max-old-space-size=8192' });
    console.log(`  Spectral + OWASP       ${format(spectral)}   healthlint is ${ratio(spectral, ours)} faster`);
    if (!spectral.ok) {
      spectralReduced = measure(bin('spectral'), spectralArgs(spectralRulesetNoApi1), { NODE_OPTIONS: '--max-old-space-size=8192' });
      console.log(`  Spectral + OWASP -api1 ${format(spectralReduced)}   healthlint is ${ratio(spectralReduced, ours)} faster`);
    }
  }
  rows.push(`| ${target.name} | ${format(ours)} | ${format(redocly)} | ${ratio(redocly, ours)} | ${format(spectralReduced ?? spectral)}${spectralReduced ? ' (api1 rule off; full ruleset crashed)' : ''} | ${ratio(spectralReduced ?? spectral, ours)} |`);
}
console.log('\n| target | healthlint | Redocly lint | Redocly / healthlint | Spectral + OWASP | Spectral / healthlint |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(row);

// Language server: re-lint latency after one-character edits and memory over 200 edits (bench/lsp-latency.ts).
if (!argv.includes('--skip-lsp')) {
  console.log('\n== language server re-lint latency (200 one-character edits each)');
  for (const spec of [path.join(corpus, 'health', 'nhs-immunisation-fhir-api.yaml'), path.join(corpus, 'large', 'github-api.github.com.json')]) {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'out', 'bench', 'lsp-latency.js'), spec, '200'], { encoding: 'utf8', timeout: 30 * 60 * 1000 });
    process.stdout.write(result.stdout);
  }
}

function expandGlob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const suffix = path.basename(pattern).replace('*', '');
  return require('node:fs').readdirSync(dir).filter((name: string) => name.endsWith(suffix)).map((name: string) => path.join(dir, name));
}
