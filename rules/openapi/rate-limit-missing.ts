import type { ApiModel, Operation } from '../../server/src/engine/model/api-model';
import { defineRule, type FixSpec } from '../../server/src/engine/rule';
import { childOf, entriesOf, isPlainObject } from '../../server/src/engine/spec-node';
import { convincingPhiReason } from './phi-value-patterns';

/** IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers), the common X-RateLimit-* family and Retry-After. */
const RATE_LIMIT_HEADER = /^(ratelimit(-[a-z-]+)?|x-rate-?limit(-[a-z-]+)?|retry-after)$/i;
/** Document-, path- or operation-level declarations of a throttling policy (gateway extensions). */
const RATE_LIMIT_EXTENSION = /^x-(rate-?limits?|throttl(e|ing))([-_].*)?$/i;

function declaresPolicy(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).some((key) => RATE_LIMIT_EXTENSION.test(key));
}

/** `info.description` stating the limit in prose ("The default rate limit is 5 TPS per app"), as NHS APIs do. */
function describesPolicy(root: unknown): boolean {
  const info = isPlainObject(root) ? root['info'] : undefined;
  const description = isPlainObject(info) ? info['description'] : undefined;
  return typeof description === 'string' && /\b(rate[- ]limit(s|ed|ing)?|throttl(e|ed|ing))\b/i.test(description);
}

function isCovered(operation: Operation): boolean {
  if (declaresPolicy(operation.node.value) || declaresPolicy(operation.pathItem.value)) return true;
  return operation.responses.some((response) => response.status === '429' || response.headerNames.some((name) => RATE_LIMIT_HEADER.test(name)));
}

/** Leading spaces of the line an offset is on, and whether only spaces precede the offset there. */
function lineIndent(text: string, offset: number): { indent: number; startsLine: boolean } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return { indent: before.length - before.trimStart().length, startsLine: before.trim() === '' };
}

/** The inserted YAML, one entry per line as [nesting level, text]; indented with the file's own step. */
function yamlLines(version: ApiModel['version'], pad: string, step: string): string[] {
  const header = (name: string, description: string, type: string): [number, string][] =>
    version === '2.0'
      ? [[2, `${name}:`], [3, `description: ${description}`], [3, `type: ${type}`]]
      : [[2, `${name}:`], [3, `description: ${description}`], [3, 'schema:'], [4, `type: ${type}`]];
  const lines: [number, string][] = [
    [0, "'429':"],
    [1, 'description: Too many requests; retry after the time given in Retry-After.'],
    [1, 'headers:'],
    ...header('Retry-After', 'Seconds to wait before retrying.', 'integer'),
    ...header('RateLimit', 'Remaining quota in the current window (IETF RateLimit header fields).', 'string'),
  ];
  return lines.map(([level, line]) => pad + step.repeat(level) + line);
}

function jsonText(version: ApiModel['version']): string {
  const header = (description: string, type: string) => (version === '2.0' ? { description, type } : { description, schema: { type } });
  return (
    '"429": ' +
    JSON.stringify({
      description: 'Too many requests; retry after the time given in Retry-After.',
      headers: { 'Retry-After': header('Seconds to wait before retrying.', 'integer'), RateLimit: header('Remaining quota in the current window (IETF RateLimit header fields).', 'string') },
    })
  );
}

/**
 * Adds a `'429'` response after the last entry of the operation's own `responses` map, in the file's style:
 * YAML block mappings get block lines at the entries' indentation; JSON gets one more member.
 * Flow-style YAML maps and `$ref`ed response maps get no fix (the edit could not keep their formatting).
 */
function addTooManyRequestsFix(model: ApiModel, operation: Operation): FixSpec | undefined {
  const responses = childOf(operation.node, 'responses');
  if (!responses || !isPlainObject(responses.value) || '$ref' in responses.value) return undefined;
  const entries = entriesOf(responses);
  const last = entries[entries.length - 1]?.[1];
  if (!last) return undefined;
  const doc = last.doc;
  const [keyLocated, valueLocated, mapLocated] = doc.locateAll([
    { path: last.path, part: 'key' },
    { path: last.path, part: 'value' },
    { path: responses.path, part: 'value' },
  ]);
  if (!keyLocated?.exact || !valueLocated?.exact || !mapLocated?.exact) return undefined;
  const text = doc.text;
  const original = text.slice(valueLocated.range.startOffset, valueLocated.range.endOffset);
  const { indent, startsLine } = lineIndent(text, keyLocated.range.startOffset);
  let insertion: string;
  if (doc.format === 'yaml') {
    if (!startsLine || text[mapLocated.range.startOffset] === '{') return undefined;
    // The file's indentation step: how far the entries sit inside the `responses:` key.
    const [responsesKey] = doc.locateAll([{ path: responses.path, part: 'key' }]);
    const outer = responsesKey?.exact ? lineIndent(text, responsesKey.range.startOffset).indent : 0;
    const step = indent > outer ? indent - outer : 2;
    const lines = yamlLines(model.version, ' '.repeat(indent), ' '.repeat(step));
    insertion = original.endsWith('\n') ? lines.join('\n') + '\n' : '\n' + lines.join('\n');
  } else {
    insertion = startsLine ? `,\n${' '.repeat(indent)}${jsonText(model.version)}` : `, ${jsonText(model.version)}`;
  }
  return {
    title: "Add a '429' response with Retry-After and RateLimit headers",
    safety: 'unsafe',
    edits: [{ node: last, part: 'value', newText: original + insertion }],
  };
}

/** Operations that carry PHI and document no rate limiting: no 429 response, no RateLimit/Retry-After headers. */
export default defineRule({
  meta: {
    id: 'rate-limit-missing',
    category: 'availability',
    defaultSeverity: 'warning',
    description: 'Operation carrying PHI documents no rate limit (no 429 response, no RateLimit / X-RateLimit-* / Retry-After headers).',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [770, 799], owaspApi: ['API4:2023'], hipaa: ['164.308(a)(1)(ii)(B)', '164.312(a)(1)'], gdpr: ['Art. 32(1)(b)'] },
  },
  check({ model, report }) {
    // A document-wide gateway policy (`x-rate-limit`, `x-ratelimit`, `x-throttling`...) covers every operation.
    if (declaresPolicy(model.root.value) || describesPolicy(model.root.value)) return;
    for (const operation of model.operations) {
      if (operation.isPublicByDesign || isCovered(operation)) continue;
      const phi = operation.phiEvidence();
      const reason = phi.carriesPhi ? convincingPhiReason(operation, [...phi.responseFields, ...phi.requestFields], phi.parameters) : undefined;
      if (!reason) continue;
      const fix = addTooManyRequestsFix(model, operation);
      report({
        node: operation.node,
        message: `${operation.method.toUpperCase()} ${operation.path} carries PHI (${reason}) but documents no rate limit: no '429' response and no RateLimit, X-RateLimit-* or Retry-After header. Unthrottled PHI endpoints allow bulk scraping and enumeration.`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});
