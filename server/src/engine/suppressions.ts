import type { Finding } from './finding';
import type { LineIndex } from './source-range';

/**
 * Comment directives, ESLint-style, with a reason after `--`:
 *   # healthlint-disable-next-line operation-auth-missing -- public pharmacy locator
 *   url: http://localhost  # healthlint-disable-line server-plaintext-http -- dev only
 *   # healthlint-disable-file phi-in-example -- synthetic test data
 * No rule list means every rule.
 */
interface Directive {
  readonly kind: 'line' | 'file';
  readonly line: number;
  readonly rules: ReadonlySet<string> | 'all';
  readonly reason?: string;
}

const DIRECTIVE = /#\s*healthlint-disable(-next-line|-line|-file)\b([^\n]*)/g;

/** `inScalar`: whether an offset is inside a scalar's text, where `# healthlint-disable` is prose, not a comment. */
export function parseDirectives(text: string, lines: LineIndex, inScalar: (offset: number) => boolean = () => false): Directive[] {
  if (!text.includes('healthlint-disable')) return [];
  const directives: Directive[] = [];
  for (const match of text.matchAll(DIRECTIVE)) {
    // A comment starts a line or follows a space; inside a block scalar or a quoted string it is text.
    if ((match.index > 0 && !/\s/.test(text[match.index - 1]!)) || inScalar(match.index)) continue;
    const [, variant, rest = ''] = match;
    const [ruleText = '', reason] = rest.split(/\s--\s?/, 2);
    const ruleIds = ruleText.split(/[\s,]+/).filter(Boolean);
    const line = lines.positionAt(match.index).line;
    directives.push({
      kind: variant === '-file' ? 'file' : 'line',
      line: variant === '-next-line' ? line + 1 : line,
      rules: ruleIds.length > 0 ? new Set(ruleIds) : 'all',
      ...(reason?.trim() ? { reason: reason.trim() } : {}),
    });
  }
  return directives;
}

/** True when a directive in the finding's own file covers it. */
export function isSuppressed(finding: Finding, directives: readonly Directive[]): boolean {
  return directives.some(
    (directive) =>
      (directive.kind === 'file' || directive.line === finding.range.start.line) &&
      (directive.rules === 'all' || directive.rules.has(finding.ruleId)),
  );
}
