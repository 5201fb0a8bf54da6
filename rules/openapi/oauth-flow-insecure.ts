import { defineRule } from '../../server/src/engine/rule';
import { describePhiOperations, operationsUsingScheme, phiOperations } from './auth-helpers';

const WHY: Record<'implicit' | 'password', string> = {
  implicit:
    'the access token comes back in the redirect URL fragment, where browser history, logs and scripts on the page can read it, and it cannot be bound to the client or protected with PKCE',
  password:
    "the client application itself collects the user's password and sends it to the token endpoint, which defeats the point of OAuth and rules out multi-factor login at the authorization server",
};

/** OAuth2 implicit and resource-owner password flows, removed by the OAuth 2.0 Security BCP and OAuth 2.1. */
export default defineRule({
  meta: {
    id: 'oauth-flow-insecure',
    category: 'authentication',
    defaultSeverity: 'warning',
    description: 'OAuth2 scheme offers the implicit or resource-owner password flow; use authorization code with PKCE.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [287, 1390], owaspApi: ['API2:2023'], hipaa: ['164.312(d)'], gdpr: ['Art. 32'] },
  },
  check({ model, report }) {
    for (const scheme of model.securitySchemes.values()) {
      const risky = scheme.flows.filter((flow): flow is typeof flow & { kind: 'implicit' | 'password' } => flow.kind === 'implicit' || flow.kind === 'password');
      if (risky.length === 0) continue;
      const phi = phiOperations(operationsUsingScheme(model, scheme.name));
      for (const flow of risky) {
        const name = flow.kind === 'implicit' ? 'implicit' : 'resource-owner password';
        const instead = flow.kind === 'password' ? 'authorizationCode with PKCE (or clientCredentials for a backend without a user)' : 'authorizationCode with PKCE';
        report({
          // OpenAPI 3: the `implicit:` / `password:` key under `flows`; Swagger 2: the `flow` value.
          node: flow.node,
          part: model.version === '2.0' ? 'value' : 'key',
          message:
            `OAuth2 scheme '${scheme.name}' offers the ${name} flow: ${WHY[flow.kind]}. ` +
            `The OAuth 2.0 Security BCP (RFC 9700) says it ${flow.kind === 'password' ? 'MUST NOT' : 'SHOULD NOT'} be used and OAuth 2.1 drops it; SMART on FHIR requires authorization code with PKCE. Use ${instead}` +
            (phi.length > 0 ? `; the scheme guards PHI: ${describePhiOperations(phi)}.` : '.'),
        });
      }
    }
  },
});
