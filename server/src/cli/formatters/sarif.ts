import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { Finding, Severity } from '../../engine/finding';
import { docsUrlOf, type OpenApiRule } from '../../engine/rule';
import { docsSection, ruleDocs } from '../../rule-docs';
import { relativePaths, type Formatter } from './report';

const LEVEL: Record<Severity, Sarif.ReportingConfiguration.level> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/** GitHub code scanning maps 7.0–8.9 to high, 4.0–6.9 to medium, below to low. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

const ROOT_ID = 'PROJECTROOT';

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, char: string) => char.toUpperCase());
}

function descriptor(rule: OpenApiRule): Sarif.ReportingDescriptor {
  const { meta } = rule;
  const docs = ruleDocs(meta.id);
  const whatItFinds = docs ? docsSection(docs, 'What it finds') : undefined;
  const howToFix = docs ? docsSection(docs, 'How to fix') : undefined;
  const references = meta.references;
  const tags = [
    'security',
    meta.category,
    ...references.cwe.map((cwe) => `external/cwe/cwe-${cwe}`),
    ...references.owaspApi.map((id) => `external/owasp/${id.toLowerCase().replace(':', '-')}`),
    ...references.hipaa.map((clause) => `hipaa/${clause}`),
    ...references.gdpr.map((article) => `gdpr/${article}`),
  ];
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: meta.description },
    fullDescription: { text: shortened(whatItFinds ?? meta.description) },
    helpUri: docsUrlOf(meta.id),
    help: {
      text: [meta.description, howToFix ? `How to fix: ${howToFix}` : undefined].filter(Boolean).join('\n\n'),
      ...(docs ? { markdown: docs } : {}),
    },
    defaultConfiguration: { level: LEVEL[meta.defaultSeverity] },
    properties: {
      category: meta.category,
      tags: tags.slice(0, MAX_TAGS),
      precision: 'high',
      'security-severity': SECURITY_SEVERITY[meta.defaultSeverity],
      ...(meta.fixSafety ? { fixSafety: meta.fixSafety } : {}),
    },
  };
}

/**
 * A fingerprint per finding that survives edits elsewhere in the file (no line numbers): rule, file and message
 * (which names the operation, parameter or scheme), and the occurrence among findings that share those.
 */
function fingerprintsOf(findings: readonly Finding[], relative: (uri: string) => string): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const key = `${finding.ruleId}\u0000${relative(finding.uri)}\u0000${finding.message}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** GitHub code scanning shows at most this much of a rule's full description, and this many tags. */
const MAX_DESCRIPTION = 1024;
const MAX_TAGS = 10;

function shortened(text: string): string {
  if (text.length <= MAX_DESCRIPTION) return text;
  const cut = text.slice(0, MAX_DESCRIPTION - 1);
  const sentence = cut.lastIndexOf('. ');
  return (sentence > MAX_DESCRIPTION / 2 ? cut.slice(0, sentence + 1) : cut.replace(/\s+\S*$/, '')) + '…';
}

/** SARIF 2.1.0 for code scanning: paths relative to the project root (`originalUriBaseIds`), UTF-16 columns. */
export const formatSarif: Formatter = (report) => {
  const root = report.projectRoot ?? report.cwd;
  const rootUri = pathToFileURL(root.endsWith(path.sep) ? root : root + path.sep).toString();
  const artifactLocation = (uri: string): Sarif.ArtifactLocation => {
    const relative = path.relative(root, uri);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return { uri: pathToFileURL(uri).toString() };
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: ROOT_ID };
  };
  const region = (range: Finding['range']): Sarif.Region => ({
    startLine: range.start.line + 1,
    startColumn: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  });
  // Every rule, every run, in one order: GitHub advises the same rules across analyses, and indexes stay put.
  const rules = report.rules;
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));
  const fingerprints = fingerprintsOf(report.findings, relativePaths(root));
  const results: Sarif.Result[] = report.findings.map((finding, index) => ({
    ruleId: finding.ruleId,
    ...(ruleIndex.has(finding.ruleId) ? { ruleIndex: ruleIndex.get(finding.ruleId)! } : {}),
    partialFingerprints: { 'healthlint/v1': fingerprints[index]! },
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(finding.uri), region: region(finding.range) } }],
    ...(finding.related.length > 0
      ? {
          relatedLocations: finding.related.map((item, index) => ({
            id: index + 1,
            message: { text: item.message },
            physicalLocation: { artifactLocation: artifactLocation(item.uri), region: region(item.range) },
          })),
        }
      : {}),
    ...(finding.fixes.length > 0
      ? {
          fixes: finding.fixes.map((fix) => ({
            description: { text: `${fix.title} (${fix.safety})` },
            artifactChanges: [...new Set(fix.edits.map((edit) => edit.uri))].map((uri) => ({
              artifactLocation: artifactLocation(uri),
              replacements: fix.edits.filter((edit) => edit.uri === uri).map((edit) => ({ deletedRegion: region(edit.range), insertedContent: { text: edit.newText } })),
            })),
          })),
        }
      : {}),
    properties: { category: finding.category, references: finding.references },
  }));
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'healthlint',
            version: report.toolVersion,
            semanticVersion: report.toolVersion,
            informationUri: 'https://github.com/healthlint/healthlint',
            rules: rules.map(descriptor),
          },
        },
        originalUriBaseIds: { [ROOT_ID]: { uri: rootUri } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
};
