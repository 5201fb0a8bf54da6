import { parseArgs } from 'node:util';

export type OutputFormat = 'stylish' | 'json' | 'sarif' | 'github';
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface CliArguments {
  readonly paths: readonly string[];
  readonly format: OutputFormat;
  readonly output?: string;
  readonly config?: string;
  readonly failOn: FailOn;
  readonly maxWarnings?: number;
  readonly quiet: boolean;
  readonly color?: boolean;
  readonly help: boolean;
  readonly version: boolean;
  readonly listRules: boolean;
  /** Apply fixes: `safe` (--fix), also `unsafe` ones (--fix-unsafe); `dryRun` prints the diff instead of writing. */
  readonly fix?: { readonly unsafe: boolean; readonly dryRun: boolean };
}

/** A problem with the command line: exit code 2, message on stderr. */
export class UsageError extends Error {}

export const USAGE = `Usage: healthlint [options] [paths...]

Lints OpenAPI (Swagger 2.0, OpenAPI 3.0/3.1) descriptions of health APIs for missing authentication,
plaintext transport, overbroad scopes, PHI exposure, missing rate limits and secrets.
Paths default to the current folder; folders are walked honouring .gitignore.

Options:
  -f, --format <name>     stylish (default), json, sarif, github
  -o, --output <file>     write the report to a file instead of stdout
  -c, --config <file>     use this config file instead of the nearest .healthlint.yaml
      --fail-on <level>   exit 1 when a finding at or above this level exists:
                          error (default), warning, info, never
      --max-warnings <n>  also exit 1 when there are more than n warnings
  -q, --quiet             show errors only (--fail-on and --max-warnings still count warnings)
      --fix               apply the fixes marked safe, then report what remains
      --fix-unsafe        also apply fixes that change the API contract (https, auth, scopes)
      --fix-dry-run       print the fixes as a unified diff instead of writing them
      --color, --no-color force or disable colours (default: on for terminals)
      --list-rules        print the rules with their category and default severity
  -h, --help              show this help
  -v, --version           print the version

Exit codes: 0 no failing findings, 1 failing findings, 2 usage, configuration or internal error.`;

const FORMATS: readonly OutputFormat[] = ['stylish', 'json', 'sarif', 'github'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        output: { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'fail-on': { type: 'string' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        'list-rules': { type: 'boolean' },
        fix: { type: 'boolean' },
        'fix-unsafe': { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/, ''));
  }
  const { values, positionals } = parsed;
  const format = (values.format ?? 'stylish') as OutputFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`Unknown format '${values.format}'; use one of: ${FORMATS.join(', ')}`);
  const failOn = (values['fail-on'] ?? 'error') as FailOn;
  if (!FAIL_ON.includes(failOn)) throw new UsageError(`Unknown --fail-on level '${values['fail-on']}'; use one of: ${FAIL_ON.join(', ')}`);
  let maxWarnings: number | undefined;
  if (values['max-warnings'] !== undefined) {
    // `Number('')` and `Number(' ')` are 0: an empty value is a mistake, not "no warnings allowed".
    maxWarnings = /^\s*\d+\s*$/.test(values['max-warnings']) ? Number(values['max-warnings']) : NaN;
    if (!Number.isInteger(maxWarnings) || maxWarnings < 0) throw new UsageError(`--max-warnings needs a whole number >= 0, got '${values['max-warnings']}'`);
  }
  const color = values['no-color'] ? false : values.color ? true : undefined;
  return {
    paths: positionals.length > 0 ? positionals : ['.'],
    format,
    ...(values.output ? { output: values.output } : {}),
    ...(values.config ? { config: values.config } : {}),
    failOn,
    ...(maxWarnings !== undefined ? { maxWarnings } : {}),
    quiet: values.quiet === true,
    ...(color !== undefined ? { color } : {}),
    help: values.help === true,
    version: values.version === true,
    listRules: values['list-rules'] === true,
    ...(values.fix || values['fix-unsafe'] || values['fix-dry-run']
      ? { fix: { unsafe: values['fix-unsafe'] === true, dryRun: values['fix-dry-run'] === true } }
      : {}),
  };
}
