import { redactedUrl } from '../../server/src/engine/message-safety';
import { valueAtPath } from '../../server/src/engine/json-pointer';
import { defineRule, type FixSpec } from '../../server/src/engine/rule';
import type { SpecNode } from '../../server/src/engine/spec-node';
import { removeArrayItemEdit } from './edit-helpers';
import { isLoopbackUrl, plaintextScheme } from './url-helpers';

/** `http://` → `https://` (`ws://` → `wss://`) in the written URL. */
function replaceSchemeFix(node: SpecNode, writtenScheme: string): FixSpec {
  const secure = writtenScheme === 'ws' ? 'wss' : 'https';
  return { title: `Use ${secure}`, safety: 'unsafe', edits: [{ node, find: `${writtenScheme}:`, newText: `${secure}:` }] };
}

/**
 * A Swagger `schemes` entry: `http` becomes `https`, or goes when `https` is listed already (`[https, https]`
 * would break the schema's `uniqueItems`); no fix when it cannot be removed cleanly.
 */
function swaggerSchemeFix(item: SpecNode, scheme: string, secure: string): FixSpec | undefined {
  const arrayPath = item.path.slice(0, -1);
  const array: SpecNode = { doc: item.doc, path: arrayPath, value: valueAtPath(item.doc.value, arrayPath) };
  if (!Array.isArray(array.value)) return undefined;
  if (!array.value.includes(secure)) return { title: `Use ${secure}`, safety: 'unsafe', edits: [{ node: item, find: scheme, newText: secure }] };
  const edit = removeArrayItemEdit(item, array);
  return edit ? { title: `Remove '${scheme}' (${secure} is listed already)`, safety: 'unsafe', edits: [edit] } : undefined;
}

/** Server URLs that send requests, tokens and PHI over unencrypted HTTP or WebSocket. */
export default defineRule({
  meta: {
    id: 'server-plaintext-http',
    category: 'transport',
    defaultSeverity: 'error',
    description: 'Server URL uses http:// or ws:// (or Swagger schemes: [http]) on a non-loopback host.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [319, 311], owaspApi: ['API8:2023'], hipaa: ['164.312(e)(1)', '164.312(e)(2)(ii)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const server of model.servers) {
      const plaintext = server.expandedUrls.find((url) => plaintextScheme(url) && !isLoopbackUrl(url));
      if (!plaintext) continue;
      const scheme = plaintextScheme(plaintext)!;
      const secure = scheme === 'ws' ? 'wss' : 'https';
      const writtenScheme = model.version === '2.0' ? scheme : plaintextScheme(server.url);
      const fix = model.version === '2.0' ? swaggerSchemeFix(server.node, scheme, secure) : writtenScheme ? replaceSchemeFix(server.node, writtenScheme) : undefined;
      report({
        node: server.node,
        message:
          model.version === '2.0'
            ? `Swagger 'schemes' allows plain ${scheme}: requests, credentials and PHI travel unencrypted.`
            : `Server URL '${redactedUrl(plaintext)}' is plain ${scheme}: requests, credentials and PHI travel unencrypted.`,
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});
