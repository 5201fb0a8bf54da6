import { defineRule } from '../../server/src/engine/rule';

/** Operations anyone can call: no `security` in force, or `security: []`. */
export default defineRule({
  meta: {
    id: 'operation-auth-missing',
    category: 'authentication',
    defaultSeverity: 'warning',
    description: 'Operation has no effective security requirement; an error when it carries PHI.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [306, 287, 862], owaspApi: ['API2:2023'], hipaa: ['164.312(d)', '164.312(a)(1)'], gdpr: ['Art. 32(1)(b)', 'Art. 9'] },
  },
  check({ model, report }) {
    for (const operation of model.operations) {
      const security = operation.security;
      // An `{}` alternative is optional auth, which `operation-auth-optional` reports; here only "no requirement at all".
      if (security.alternatives.length > 0 || operation.isPublicByDesign) continue;
      const phi = operation.phiEvidence();
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      const credential = operation.credentialParameters[0];
      if (credential) {
        // Authentication exists but is invisible to gateways, generated clients and scanners: a modelling gap, not an open door.
        report({
          node: operation.node,
          message: `${label} takes its credential as the ${credential.in} parameter '${credential.name}' instead of a security scheme: gateways, generated clients and reviewers cannot see that it is authenticated. Declare a security scheme and require it.`,
          severity: 'info',
          related: [{ node: credential.node, message: `the '${credential.name}' parameter` }],
        });
        continue;
      }
      const why = security.source === 'operation' ? "'security: []' removes every requirement" : 'no security requirement applies (none at the root, none on the operation)';
      const unused = security.source === 'none' && model.securitySchemes.size > 0 ? ` The spec declares ${[...model.securitySchemes.keys()].map((name) => `'${name}'`).join(', ')} but never requires ${model.securitySchemes.size === 1 ? 'it' : 'them'}.` : '';
      report({
        node: operation.node,
        message: (phi.carriesPhi ? `${label} carries PHI (${phi.reason}) but ${why}.` : `${label} has no authentication: ${why}.`) + unused,
        severity: phi.carriesPhi ? 'error' : 'warning',
        ...(security.node ? { related: [{ node: security.node, message: 'the empty security requirement in force' }] } : {}),
      });
    }
  },
});
