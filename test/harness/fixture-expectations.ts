import { existsSync, readFileSync } from 'node:fs';
import type { Finding } from '../../server/src/engine/finding';

/**
 * Expectations written next to the input, semgrep-style. In YAML fixtures, a comment line
 *   # expect: <rule-id> "<exact text the range covers>"
 * says a finding of that rule starts on the next non-comment line and covers exactly that text;
 *   # ok: <rule-id>
 * says no finding of the rule starts on the next non-comment line. JSON fixtures keep the same
 * lines in a sidecar `<file>.expect` with a line number first: `12 expect: rule-id "text"`.
 */
export interface Expectation {
  readonly kind: 'expect' | 'ok';
  readonly ruleId: string;
  /** Zero-based line where the finding must start. */
  readonly line: number;
  readonly text?: string;
  readonly message?: string;
  readonly severity?: string;
}

const ANNOTATION = /^\s*(?:#|\/\/)?\s*(expect|ok):\s*([a-z0-9-]+)(?:\s+("(?:[^"\\]|\\.)*"))?(?:\s+severity=(error|warning|info))?(?:\s+message~("(?:[^"\\]|\\.)*"))?\s*$/;

export function readExpectations(filePath: string): Expectation[] {
  const sidecar = filePath + '.expect';
  if (existsSync(sidecar)) {
    return readFileSync(sidecar, 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.trim().startsWith('//'))
      .map((line) => {
        const [, number, rest] = /^\s*(\d+)\s+(.*)$/.exec(line) ?? [];
        const match = rest ? ANNOTATION.exec(rest) : null;
        if (!number || !match) throw new Error(`Bad expectation line in ${sidecar}: ${line}`);
        return toExpectation(match, Number(number) - 1);
      });
  }
  const lines = readFileSync(filePath, 'utf8').split('\n');
  const expectations: Expectation[] = [];
  lines.forEach((line, index) => {
    if (!/^\s*#\s*(expect|ok):/.test(line)) return;
    const match = ANNOTATION.exec(line.replace(/^\s*#/, ''));
    if (!match) throw new Error(`Bad expectation comment at ${filePath}:${index + 1}: ${line}`);
    let target = index + 1;
    while (target < lines.length && /^\s*#/.test(lines[target]!)) target++;
    expectations.push(toExpectation(match, target));
  });
  return expectations;
}

function toExpectation(match: RegExpExecArray, line: number): Expectation {
  const [, kind, ruleId, text, severity, message] = match;
  return {
    kind: kind as 'expect' | 'ok',
    ruleId: ruleId!,
    line,
    ...(text ? { text: JSON.parse(text) as string } : {}),
    ...(severity ? { severity } : {}),
    ...(message ? { message: JSON.parse(message) as string } : {}),
  };
}

/** Compares findings of one file with its expectations; returns human-readable Missing / Extra lines. */
export function compareWithExpectations(filePath: string, findings: readonly Finding[], expectations: readonly Expectation[], coveredText: (finding: Finding) => string): string[] {
  const problems: string[] = [];
  const unmatched = [...findings];
  for (const expectation of expectations) {
    const atLine = unmatched.filter((finding) => finding.ruleId === expectation.ruleId && finding.range.start.line === expectation.line);
    if (expectation.kind === 'ok') {
      for (const finding of atLine) problems.push(`Extra (line marked ok): ${filePath}:${expectation.line + 1} ${finding.ruleId} "${coveredText(finding)}" ${finding.message}`);
      continue;
    }
    const match = atLine.find(
      (finding) =>
        (expectation.text === undefined || coveredText(finding) === expectation.text) &&
        (expectation.severity === undefined || finding.severity === expectation.severity) &&
        (expectation.message === undefined || finding.message.includes(expectation.message)),
    );
    if (match) unmatched.splice(unmatched.indexOf(match), 1);
    else {
      const near = atLine.map((finding) => `"${coveredText(finding)}" ${finding.severity} ${finding.message}`).join(' | ');
      problems.push(`Missing: ${filePath}:${expectation.line + 1} ${expectation.ruleId} ${expectation.text !== undefined ? JSON.stringify(expectation.text) : ''}${near ? ` (found instead: ${near})` : ''}`);
    }
  }
  // Every finding must be expected, whatever rule it comes from.
  for (const finding of unmatched) {
    problems.push(`Extra: ${finding.uri}:${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.ruleId} "${coveredText(finding)}" ${finding.message}`);
  }
  return problems;
}
