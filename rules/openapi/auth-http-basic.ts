import { defineRule } from '../../server/src/engine/rule';
import { childOf } from '../../server/src/engine/spec-node';
import { describePhiOperations, operationsUsingScheme, phiOperations } from './auth-helpers';

/** HTTP Basic: a reusable password on every request; an error when it guards PHI. */
export default defineRule({
  meta: {
    id: 'auth-http-basic',
    category: 'authentication',
    defaultSeverity: 'warning',
    description: 'Security scheme uses HTTP Basic authentication (a reusable password on every request); error when it guards PHI.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [522, 523], owaspApi: ['API2:2023'], hipaa: ['164.312(d)', '164.312(e)(1)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report }) {
    for (const scheme of model.securitySchemes.values()) {
      if (scheme.type !== 'http' || scheme.httpScheme !== 'basic') continue;
      // Swagger `type: basic` (the model maps it to http + basic); OpenAPI 3 `scheme: basic`.
      const swaggerBasic = childOf(scheme.node, 'type')?.value === 'basic';
      const node = swaggerBasic ? childOf(scheme.node, 'type') : childOf(scheme.node, 'scheme');
      if (!node) continue;
      const phi = phiOperations(operationsUsingScheme(model, scheme.name));
      const base =
        `Security scheme '${scheme.name}' uses HTTP Basic authentication: the client sends a reusable credential (a username and password, or a secret key in their place), ` +
        'only base64-encoded, on every request, with no expiry, scope or binding to the client';
      report({
        node,
        part: 'value',
        message: phi.length > 0 ? `${base}; it guards PHI: ${describePhiOperations(phi)}.` : `${base}.`,
        severity: phi.length > 0 ? 'error' : 'warning',
      });
    }
  },
});
