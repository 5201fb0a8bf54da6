import type { ApiModel } from '../../server/src/engine/model/api-model';
import { declaredClassification } from '../../server/src/engine/phi/phi-classifier';
import { defineRule } from '../../server/src/engine/rule';
import { childOf, entriesOf, isPlainObject, itemsOf, nodeKey, stringValue, type SpecNode } from '../../server/src/engine/spec-node';
import { callbackOperations, callbackUrls, isRemotePlainHttp, linkOperationRefs, operationLabel, type CallbackUrl } from './url-helpers';

const MAX_SCHEMA_DEPTH = 6;

/**
 * OpenAPI 3 callbacks whose URL is a literal http:// URL, callbacks whose URL comes from a request field
 * whose example/default is an http:// URL, and Link `operationRef`s fetched over http://.
 */
export default defineRule({
  meta: {
    id: 'callback-url-plaintext',
    category: 'transport',
    defaultSeverity: 'warning',
    description: 'Callback URL or link operationRef uses http:// on a non-loopback host (error when the callback carries PHI).',
    recommended: true,
    formats: ['3.0', '3.1'],
    references: { cwe: [319, 311], owaspApi: ['API8:2023'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const callback of callbackUrls(model)) {
      const phi = callbackPhi(model, callback);
      const severity = phi ? ('error' as const) : undefined;
      const owner = callback.owner ? ` of ${operationLabel(callback.owner)}` : '';
      const carries = phi ? `; the callback carries PHI (${phi})` : '';
      if (isRemotePlainHttp(callback.expression)) {
        report({
          node: callback.node,
          part: 'key',
          message: `Callback '${callback.name}'${owner} is sent to a plain http:// URL: the notification and the credentials it carries travel unencrypted${carries}.`,
          ...(severity ? { severity } : {}),
        });
        continue;
      }
      // `{$request.body#/callbackUrl}`: the URL comes from the client; flag an http:// example/default for it.
      for (const sample of expressionSamples(model, callback)) {
        report({
          node: sample.node,
          part: 'value',
          message: `Callback '${callback.name}'${owner} takes its URL from ${sample.source}, whose ${sample.kind} is a plain http:// URL: clients copying it receive notifications unencrypted${carries}.`,
          ...(severity ? { severity } : {}),
          related: [{ node: callback.node, part: 'key', message: `callback '${callback.name}'` }],
        });
      }
    }
    for (const link of linkOperationRefs(model)) {
      if (!isRemotePlainHttp(link.url)) continue;
      report({
        node: link.node,
        part: 'value',
        message: `Link '${link.linkName}'${link.owner ? ` of ${operationLabel(link.owner)}` : ''} has an operationRef fetched over plain http://: the referenced API description can be tampered with in transit.`,
      });
    }
  },
});

/** Why a callback carries PHI: a PHI field in a callback request body, or a callback operation marked as PHI. */
function callbackPhi(model: ApiModel, callback: CallbackUrl): string | undefined {
  const contextNames = [callback.name, ...(callback.owner ? callback.owner.path.split('/').filter(Boolean) : [])];
  for (const operation of callbackOperations(model, callback.pathItem)) {
    const declared = declaredClassification(operation.node.value);
    if (declared === 'phi') return `${operation.method.toUpperCase()} is marked as PHI`;
    if (declared === 'public') continue;
    const body = model.specs.deref(childOf(operation.node, 'requestBody'));
    for (const [, media] of entriesOf(childOf(body, 'content'))) {
      const schema = childOf(model.specs.deref(media), 'schema');
      const field = schema ? model.phiFieldsOfSchema(schema, contextNames)[0] : undefined;
      if (field) return `request field '${field.name}'`;
    }
  }
  return undefined;
}

interface Sample {
  readonly node: SpecNode;
  readonly source: string;
  readonly kind: 'example' | 'default';
}

/** http:// examples/defaults of the request field or query parameter a `{$request.body#/...}` / `{$request.query.x}` expression reads. */
function expressionSamples(model: ApiModel, callback: CallbackUrl): Sample[] {
  const owner = callback.owner;
  if (!owner) return [];
  const body = /^\{\$request\.body#([^}]*)\}/.exec(callback.expression);
  const query = /^\{\$request\.query\.([^}]+)\}/.exec(callback.expression);
  const targets: { node: SpecNode; source: string }[] = [];
  if (body) {
    const segments = body[1]!.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    for (const schema of owner.requestSchemas) {
      for (const node of schemaAt(model, schema, segments, 0)) targets.push({ node, source: `the request body field '${body[1]}'` });
    }
  } else if (query) {
    const parameter = owner.parameters.find((candidate) => candidate.in === 'query' && candidate.name === query[1]);
    if (parameter) {
      targets.push({ node: parameter.node, source: `the query parameter '${parameter.name}'` });
      if (parameter.schema) targets.push({ node: parameter.schema, source: `the query parameter '${parameter.name}'` });
    }
  }
  const seen = new Set<string>();
  const samples: Sample[] = [];
  for (const target of targets) {
    for (const { node, kind } of samplesOf(model, target.node)) {
      if (typeof node.value !== 'string' || !isRemotePlainHttp(node.value) || seen.has(nodeKey(node))) continue;
      seen.add(nodeKey(node));
      samples.push({ node, source: target.source, kind });
    }
  }
  return samples;
}

/** The schemas a JSON pointer names inside a schema, through properties, items and allOf/oneOf/anyOf. */
function schemaAt(model: ApiModel, schemaRef: SpecNode, segments: readonly string[], depth: number): SpecNode[] {
  const schema = model.specs.deref(schemaRef);
  if (!schema || !isPlainObject(schema.value) || depth > MAX_SCHEMA_DEPTH) return [];
  const results: SpecNode[] = [];
  for (const combinator of ['allOf', 'oneOf', 'anyOf']) {
    for (const part of itemsOf(childOf(schema, combinator))) results.push(...schemaAt(model, part, segments, depth + 1));
  }
  if (segments.length === 0) return [schema, ...results];
  const [head, ...rest] = segments;
  const property = /^\d+$/.test(head!) ? childOf(schema, 'items') : childOf(model.specs.deref(childOf(schema, 'properties')), head!);
  if (property) results.push(...schemaAt(model, property, rest, depth + 1));
  return results;
}

function samplesOf(model: ApiModel, owner: SpecNode): { node: SpecNode; kind: 'example' | 'default' }[] {
  const node = model.specs.deref(owner);
  const result: { node: SpecNode; kind: 'example' | 'default' }[] = [];
  const fallback = childOf(node, 'default');
  if (fallback) result.push({ node: fallback, kind: 'default' });
  const example = childOf(node, 'example');
  if (example) result.push({ node: example, kind: 'example' });
  const examples = childOf(node, 'examples');
  for (const item of itemsOf(examples)) result.push({ node: item, kind: 'example' });
  for (const [, entry] of entriesOf(examples)) {
    const value = childOf(model.specs.deref(entry), 'value');
    if (value && stringValue(value) !== undefined) result.push({ node: value, kind: 'example' });
  }
  return result;
}
