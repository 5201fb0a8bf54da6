import type { Severity } from '../../engine/finding';
import { relativePaths, type Formatter } from './report';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** Workflow-command escaping, as GitHub's toolkit does it: data escapes %, CR, LF; properties also : and ,. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub Actions annotations: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`. */
export const formatGithub: Formatter = (report) => {
  const relative = relativePaths(report.projectRoot ?? report.cwd);
  return report.findings
    .map((finding) => {
      const file = relative(finding.uri);
      const properties = [
        `file=${escapeProperty(file)}`,
        `line=${finding.range.start.line + 1}`,
        `col=${finding.range.start.character + 1}`,
        `endLine=${finding.range.end.line + 1}`,
        `endColumn=${finding.range.end.character + 1}`,
        `title=${escapeProperty(`healthlint ${finding.ruleId}`)}`,
      ].join(',');
      return `::${COMMAND[finding.severity]} ${properties}::${escapeData(`${finding.message} (${finding.ruleId}, ${finding.docsUrl})`)}`;
    })
    .join('\n') + (report.findings.length > 0 ? '\n' : '');
};
