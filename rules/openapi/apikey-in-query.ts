import { defineRule } from '../../server/src/engine/rule';
import { childOf, stringValue } from '../../server/src/engine/spec-node';
import { describePhiOperations, operationsUsingScheme, phiOperations } from './auth-helpers';

/** An API key in the query string ends up in logs, proxies, browser history and Referer headers. */
export default defineRule({
  meta: {
    id: 'apikey-in-query',
    category: 'authentication',
    defaultSeverity: 'error',
    description: 'API key security scheme is sent in the query string (`in: query`), where URLs leak it to logs, proxies, history and Referer.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [598, 522, 523], owaspApi: ['API2:2023'], hipaa: ['164.312(d)', '164.312(e)(1)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const scheme of model.securitySchemes.values()) {
      if (scheme.type !== 'apiKey' || scheme.apiKeyIn?.toLowerCase() !== 'query') continue;
      const node = childOf(scheme.node, 'in');
      if (!node) continue;
      const parameter = stringValue(childOf(scheme.node, 'name'));
      const phi = phiOperations(operationsUsingScheme(model, scheme.name));
      report({
        node,
        part: 'value',
        message:
          `API key scheme '${scheme.name}' is sent in the query string${parameter ? ` (parameter '${parameter}')` : ''}: ` +
          'full URLs are written to server and proxy logs, browser history and Referer headers, so the key leaks; send it in a header' +
          (phi.length > 0 ? `. It guards PHI: ${describePhiOperations(phi)}.` : '.'),
      });
    }
  },
});
