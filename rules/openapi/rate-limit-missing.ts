import type { ApiModel, Operation } from '../../server/src/engine/model/api-model';
import { defineRule, type FixSpec } from '../../server/src/engine/rule';
import { childOf, isPlainObject } from '../../server/src/engine/spec-node';
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

/** The `'429'` response a fix adds: Retry-After and the IETF RateLimit header, in the spec's own version's shape. */
function tooManyRequestsResponse(version: ApiModel['version']): Record<string, unknown> {
  const header = (description: string, type: string) => (version === '2.0' ? { description, type } : { description, schema: { type } });
  return {
    description: 'Too many requests; retry after the time given in Retry-After.',
    headers: {
      'Retry-After': header('Seconds to wait before retrying.', 'integer'),
      RateLimit: header('Remaining quota in the current window (IETF RateLimit header fields).', 'string'),
    },
  };
}

/**
 * Adds a `'429'` response as the last entry of the operation's own `responses` map; the engine lays it out in the
 * file's style (YAML block or flow, JSON). A `$ref`ed or empty `responses` map gets no fix.
 */
function addTooManyRequestsFix(model: ApiModel, operation: Operation): FixSpec | undefined {
  const responses = childOf(operation.node, 'responses');
  if (!responses || !isPlainObject(responses.value) || '$ref' in responses.value || Object.keys(responses.value).length === 0) return undefined;
  return {
    title: "Add a '429' response with Retry-After and RateLimit headers",
    safety: 'unsafe',
    edits: [{ addMember: { object: responses, key: '429', value: tooManyRequestsResponse(model.version) } }],
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
