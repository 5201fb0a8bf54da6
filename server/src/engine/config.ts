import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_SCHEMA } from './config-schema';
import { closestName } from './did-you-mean';
import { parseSourceText } from './documents/parse';
import type { Severity } from './finding';
import type { ActiveRule, LintSettings } from './linter';
import type { OpenApiRule, RuleMeta } from './rule';

export type SeveritySetting = Severity | 'off';

/** `.healthlint.yaml` as written, after schema validation. */
export interface ConfigFile {
  readonly extends?: string | readonly string[];
  readonly rules?: Readonly<Record<string, RuleSettingInput>>;
  readonly ignore?: readonly string[];
  readonly publicEndpoints?: readonly string[];
  readonly allowRemoteRefs?: boolean;
  readonly maxFileSizeMB?: number;
  /** Reserved for per-file settings; rejected until they are built. */
  readonly overrides?: readonly unknown[];
}

type RuleSettingInput = SeveritySetting | readonly [SeveritySetting, Record<string, unknown>?] | { severity?: SeveritySetting; options?: Record<string, unknown> };

/** A problem with the configuration: the CLI exits with 2 and prints the message. */
export class ConfigError extends Error {}

export const CONFIG_FILE_NAMES = ['.healthlint.yaml', '.healthlint.yml', '.healthlint.json'];
export const PRESETS = ['recommended', 'strict', 'all'] as const;

/** The resolved configuration: what each rule does, plus loader settings. */
export interface ResolvedConfig {
  readonly settings: LintSettings;
  readonly ignore: readonly string[];
  /** Directory that `ignore` patterns are relative to. */
  readonly baseDir: string;
  readonly source?: string;
}

interface RuleState {
  severity: SeveritySetting;
  explicit: boolean;
  options: Record<string, unknown>;
}

/**
 * Preset severities come from rule metadata, never from a hand-kept list: `recommended` = rules marked
 * recommended at their default severity; `all` = every rule at its default severity; `strict` = every rule,
 * with `info` raised to `warning`.
 */
function presetState(preset: string, meta: RuleMeta): RuleState {
  if (preset === 'all') return { severity: meta.defaultSeverity, explicit: false, options: {} };
  if (preset === 'strict') return { severity: meta.defaultSeverity === 'info' ? 'warning' : meta.defaultSeverity, explicit: false, options: {} };
  return { severity: meta.recommended ? meta.defaultSeverity : 'off', explicit: false, options: {} };
}

function normaliseRuleSetting(input: RuleSettingInput): { severity?: SeveritySetting; options?: Record<string, unknown> } {
  if (typeof input === 'string') return { severity: input as SeveritySetting };
  if (Array.isArray(input)) return { severity: input[0] as SeveritySetting, ...(input[1] ? { options: input[1] as Record<string, unknown> } : {}) };
  return input as { severity?: SeveritySetting; options?: Record<string, unknown> };
}

type ConfigValidator = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null };
let validator: ConfigValidator | undefined;

function validateConfig(data: unknown, source: string): ConfigFile {
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA) as unknown as ConfigValidator;
  if (!validator(data)) {
    const known = Object.keys(CONFIG_SCHEMA.properties);
    const details = (validator.errors ?? [])
      // A rule setting fails all three `oneOf` shapes at once: say what a severity may be instead of three schema errors.
      .filter((error, index, all) => !(/^\/rules\/[^/]+$/.test(error.instancePath) && all.findIndex((other) => other.instancePath === error.instancePath) !== index))
      .map((error) => {
        const rule = /^\/rules\/([^/]+)$/.exec(error.instancePath)?.[1];
        if (rule !== undefined) {
          const value = (data as { rules?: Record<string, unknown> }).rules?.[rule.replace(/~1/g, '/').replace(/~0/g, '~')];
          const shown = typeof value === 'string' ? `'${value.slice(0, 40)}'` : 'this value';
          return `rules.${rule}: ${shown} is not a setting; use off, info, warning or error, [severity, {options}] or {severity, options}`;
        }
        const extra = error.params?.['additionalProperty'];
        if (typeof extra === 'string' && !error.instancePath) {
          const suggestion = closestName(extra, known, 3);
          return `unknown key '${extra}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; known keys: ${known.join(', ')}`;
        }
        return `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`;
      })
      .join('; ');
    throw new ConfigError(`Invalid configuration in ${source}: ${details}`);
  }
  return data as ConfigFile;
}

/** Builds engine settings from a config object (already parsed), checking rule ids and options. */
export function resolveConfig(config: ConfigFile, rules: readonly OpenApiRule[], baseDir: string, source?: string): ResolvedConfig {
  // The built-in default needs no schema check (and no ajv start-up cost on every run).
  if (source !== undefined || Object.keys(config).length > 0) validateConfig(config, source ?? 'configuration');
  // Reserved in the schema for per-file settings, not applied yet: accepting it silently would lint with other rules
  // than the team wrote down.
  if (config.overrides !== undefined) throw new ConfigError(`'overrides' in ${source ?? 'configuration'} is not supported yet; use a .healthlint.yaml in the folder that needs other settings`);
  const presets = config.extends === undefined ? ['recommended'] : typeof config.extends === 'string' ? [config.extends] : [...config.extends];
  for (const preset of presets) {
    if (!(PRESETS as readonly string[]).includes(preset)) throw new ConfigError(`Unknown preset '${preset}' in ${source ?? 'configuration'}; use one of: ${PRESETS.join(', ')}`);
  }
  const states = new Map<string, RuleState>();
  for (const rule of rules) {
    let state = presetState('recommended', rule.meta);
    for (const preset of presets) state = presetState(preset, rule.meta);
    states.set(rule.meta.id, state);
  }
  for (const [ruleId, input] of Object.entries(config.rules ?? {})) {
    const state = states.get(ruleId);
    if (!state) {
      const suggestion = closestName(ruleId, states.keys(), 3);
      throw new ConfigError(`Unknown rule '${ruleId}' in ${source ?? 'configuration'}${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
    }
    const setting = normaliseRuleSetting(input);
    if (setting.severity) {
      state.severity = setting.severity;
      state.explicit = true;
    }
    if (setting.options) state.options = { ...state.options, ...setting.options };
  }
  const active: ActiveRule[] = [];
  const engineRules = new Map<string, { meta: RuleMeta; severity: Severity }>();
  for (const rule of rules) {
    const state = states.get(rule.meta.id)!;
    if (state.severity === 'off') continue;
    const options = { ...(rule.meta.options?.defaults ?? {}), ...state.options };
    if (Object.keys(state.options).length > 0) {
      if (!rule.meta.options) throw new ConfigError(`Rule '${rule.meta.id}' takes no options (in ${source ?? 'configuration'})`);
      checkRuleOptions(rule, options, source);
    }
    if (rule.meta.engineReported) engineRules.set(rule.meta.id, { meta: rule.meta, severity: state.severity });
    else active.push({ rule, severity: state.severity, severityIsExplicit: state.explicit, ...(presets.includes('strict') ? { infoAsWarning: true } : {}), options });
  }
  const maxFileBytes = Math.round((config.maxFileSizeMB ?? 100) * 1024 * 1024);
  return {
    settings: {
      rules: active,
      engineRules,
      ...(config.publicEndpoints ? { publicEndpoints: config.publicEndpoints } : {}),
      load: { allowRemoteRefs: config.allowRemoteRefs === true, maxFileBytes },
    },
    ignore: config.ignore ?? [],
    baseDir,
    ...(source ? { source } : {}),
  };
}

function checkRuleOptions(rule: OpenApiRule, options: Record<string, unknown>, source: string | undefined): void {
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  const validate = new Ajv({ allErrors: true, strict: false, useDefaults: false }).compile(rule.meta.options!.schema);
  if (!validate(options)) {
    const details = (validate.errors ?? []).map((error) => `${error.instancePath || '(options)'} ${error.message ?? 'is invalid'}`).join('; ');
    throw new ConfigError(`Invalid options for rule '${rule.meta.id}' in ${source ?? 'configuration'}: ${details}`);
  }
}

/** Reads and resolves a config file; YAML or JSON. Throws ConfigError with the file name and reason. */
export function loadConfigFile(filePath: string, rules: readonly OpenApiRule[]): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${filePath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let data: unknown = {};
  if (text.trim() !== '') {
    // The same guarded parser as specs (alias bombs, messages without file content).
    const parsed = parseSourceText(filePath, text);
    if ('failure' in parsed) throw new ConfigError(`Config file ${filePath} is not valid YAML/JSON (line ${parsed.failure.range.start.line + 1}: ${parsed.failure.message})`);
    // A rule set twice (or a tab in indentation) leaves it unclear which setting the team meant.
    const problem = parsed.document.problems?.[0];
    if (problem) throw new ConfigError(`Config file ${filePath}, line ${problem.range.start.line + 1}: ${problem.message}`);
    data = parsed.document.value;
  }
  return resolveConfig((data ?? {}) as ConfigFile, rules, path.dirname(path.resolve(filePath)), filePath);
}

/** Finds the nearest config file from `startDir` upwards. */
export function findConfigFile(startDir: string, exists: (file: string) => boolean): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (exists(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
