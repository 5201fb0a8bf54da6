import type { Formatter } from './report';
import { countBySeverity, relativePaths } from './report';

/** Machine-readable output: one entry per finding with 1-based positions, references and fixes. */
export const formatJson: Formatter = (report) => {
  const relative = relativePaths(report.cwd);
  const findings = report.findings.map((finding) => ({
    file: relative(finding.uri),
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    message: finding.message,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    references: finding.references,
    docsUrl: finding.docsUrl,
    related: finding.related.map((item) => ({ file: relative(item.uri), line: item.range.start.line + 1, column: item.range.start.character + 1, message: item.message })),
    fixes: finding.fixes.map((fix) => ({
      title: fix.title,
      safety: fix.safety,
      edits: fix.edits.map((edit) => ({
        file: relative(edit.uri),
        line: edit.range.start.line + 1,
        column: edit.range.start.character + 1,
        endLine: edit.range.end.line + 1,
        endColumn: edit.range.end.character + 1,
        newText: edit.newText,
      })),
    })),
  }));
  return JSON.stringify({ tool: 'healthlint', version: report.toolVersion, summary: countBySeverity(report.findings), findings }, null, 2) + '\n';
};
