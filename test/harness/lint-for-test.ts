import { readFileSync } from 'node:fs';
import { resolveConfig, type ConfigFile } from '../../server/src/engine/config';
import type { Finding } from '../../server/src/engine/finding';
import { lintText, type LintFileResult } from '../../server/src/engine/linter';
import { allRules } from '../../rules/index';

/**
 * Lints a file with exactly the named rules on, at their default severity and not pinned by the config,
 * so per-finding severities (raised for PHI) show as a user would see them.
 */
export async function lintWithRules(filePath: string, ruleIds: readonly string[], options: Record<string, unknown> = {}, extra: Partial<ConfigFile> = {}): Promise<LintFileResult> {
  const rules: Record<string, unknown> = {};
  for (const rule of allRules) {
    if (!ruleIds.includes(rule.meta.id)) rules[rule.meta.id] = 'off';
    else if (rule.meta.options && Object.keys(options).length > 0) rules[rule.meta.id] = { options };
  }
  const config = resolveConfig({ extends: 'all', ...extra, rules: rules as ConfigFile['rules'] }, allRules, process.cwd());
  return lintText(filePath, readFileSync(filePath, 'utf8'), config.settings, true);
}

/** The source text a finding's range covers. */
export function coveredText(finding: Finding): string {
  return readFileSync(finding.uri, 'utf8').slice(finding.range.startOffset, finding.range.endOffset);
}

/** Applies text edits (non-overlapping) to a text, last first so earlier offsets stay valid. */
export function applyEdits(text: string, edits: readonly { range: { startOffset: number; endOffset: number }; newText: string }[]): string {
  const sorted = [...edits].sort((a, b) => b.range.startOffset - a.range.startOffset);
  let result = text;
  for (const edit of sorted) result = result.slice(0, edit.range.startOffset) + edit.newText + result.slice(edit.range.endOffset);
  return result;
}
