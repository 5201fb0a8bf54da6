import * as path from 'node:path';
import type { Finding, Severity } from '../../engine/finding';
import { countBySeverity, type Formatter } from './report';

const COLORS = { red: 31, yellow: 33, blue: 34, gray: 90, bold: 1, underline: 4 } as const;

function paint(enabled: boolean, style: keyof typeof COLORS, text: string): string {
  return enabled ? `\u001b[${COLORS[style]}m${text}\u001b[0m` : text;
}

const SEVERITY_STYLE: Record<Severity, keyof typeof COLORS> = { error: 'red', warning: 'yellow', info: 'blue' };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** ESLint's stylish layout: a block per file, aligned columns, then a summary by severity and by category. */
export const formatStylish: Formatter = (report) => {
  const { findings, color } = report;
  if (findings.length === 0) return '';
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) {
    const list = byFile.get(finding.uri) ?? [];
    list.push(finding);
    byFile.set(finding.uri, list);
  }
  const lines: string[] = [];
  for (const [uri, fileFindings] of byFile) {
    lines.push(paint(color, 'underline', path.relative(report.cwd, uri) || uri));
    const rows = fileFindings.map((finding) => [
      `${finding.range.start.line + 1}:${finding.range.start.character + 1}`,
      finding.severity,
      finding.message,
      finding.ruleId,
    ]);
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const [index, row] of rows.entries()) {
      const severity = fileFindings[index]!.severity;
      lines.push(
        `  ${paint(color, 'gray', row[0]!.padStart(widths[0]!))}  ${paint(color, SEVERITY_STYLE[severity], row[1]!.padEnd(widths[1]!))}  ${row[2]}  ${paint(color, 'gray', row[3]!)}`,
      );
    }
    lines.push('');
  }
  const counts = countBySeverity(findings);
  const worst: Severity = counts.error > 0 ? 'error' : counts.warning > 0 ? 'warning' : 'info';
  lines.push(
    paint(
      color,
      SEVERITY_STYLE[worst],
      `${counts.error > 0 ? '✖' : '⚠'} ${plural(findings.length, 'problem')} (${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info)`,
    ),
  );
  const byCategory = new Map<string, number>();
  for (const finding of findings) byCategory.set(finding.category, (byCategory.get(finding.category) ?? 0) + 1);
  const categories = [...byCategory].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  lines.push(`  by category: ${categories.map(([category, count]) => `${category} ${count}`).join(', ')}`);
  const safe = findings.filter((finding) => finding.fixes.some((fix) => fix.safety === 'safe')).length;
  const unsafe = findings.filter((finding) => finding.fixes.length > 0 && !finding.fixes.some((fix) => fix.safety === 'safe')).length;
  if (safe > 0) lines.push(`  ${plural(safe, 'problem')} can be fixed with --fix.`);
  if (unsafe > 0) lines.push(`  ${plural(unsafe, 'problem')} can be fixed with --fix-unsafe (changes the API contract; --fix-dry-run shows the diff).`);
  return lines.join('\n') + '\n';
};
