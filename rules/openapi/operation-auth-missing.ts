import type { ApiModel, Operation, SecurityScheme } from '../../server/src/engine/model/api-model';
import { defineRule, type EditSpec, type FixSpec } from '../../server/src/engine/rule';
import { childOf, isPlainObject } from '../../server/src/engine/spec-node';

/** The scheme a fix should require: a bearer/OpenID/header-key scheme before OAuth (whose scopes the author must pick). */
function preferredScheme(schemes: ReadonlyMap<string, SecurityScheme>): SecurityScheme | undefined {
  const all = [...schemes.values()];
  return (
    all.find((scheme) => scheme.type === 'http' && scheme.httpScheme === 'bearer') ??
    all.find((scheme) => scheme.type === 'openIdConnect') ??
    all.find((scheme) => scheme.type === 'oauth2') ??
    all.find((scheme) => scheme.type === 'mutualTLS') ??
    all.find((scheme) => scheme.type === 'apiKey' && scheme.apiKeyIn !== 'query')
  );
}

/**
 * Requires authentication on an operation: an existing scheme, or (OpenAPI 3, none declared) a new HTTP bearer
 * scheme `bearerAuth` in `components.securitySchemes`. Unsafe: clients must then send credentials. The scheme and
 * its declaration are the same for every operation of the spec, so they are chosen once.
 */
function requireSchemeFixes(model: ApiModel): (operation: Operation) => FixSpec | undefined {
  const existing = preferredScheme(model.securitySchemes);
  if (!existing && model.version === '2.0') return () => undefined;
  const schemeName = existing?.name ?? 'bearerAuth';
  const requirement = [{ [schemeName]: [] }];
  const requirementText = JSON.stringify(requirement).replace(/":/g, '": ');
  const declaration: EditSpec[] = [];
  if (!existing) {
    const bearer = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
    const components = childOf(model.root, 'components');
    const schemes = childOf(components, 'securitySchemes');
    if (schemes && isPlainObject(schemes.value)) declaration.push({ addMember: { object: schemes, key: 'bearerAuth', value: bearer } });
    else if (components && isPlainObject(components.value) && Object.keys(components.value).length > 0) declaration.push({ addMember: { object: components, key: 'securitySchemes', value: { bearerAuth: bearer } } });
    else if (!components) declaration.push({ addMember: { object: model.root, key: 'components', value: { securitySchemes: { bearerAuth: bearer } } } });
    else return () => undefined;
  }
  const title = existing ? `Require the '${schemeName}' security scheme` : "Require a bearer token (adds 'bearerAuth' to components.securitySchemes)";
  // `security: []` opting out of a root requirement gets that requirement back, with its scopes: requiring a bare
  // scheme instead would leave an OAuth requirement without scopes.
  // Its `{}` alternatives stay behind: they would make authentication optional again.
  const root = childOf(model.root, 'security');
  const rootAlternatives = Array.isArray(root?.value) ? root.value.filter((item) => isPlainObject(item) && Object.keys(item).length > 0) : [];
  const rootRequirementText = rootAlternatives.length > 0 ? JSON.stringify(rootAlternatives).replace(/":/g, '": ').replace(/","/g, '", "') : undefined;
  return (operation) => {
    const own = childOf(operation.node, 'security');
    if (own && rootRequirementText) {
      return { title: "Require the root's security requirement (this operation opted out of it)", safety: 'unsafe', edits: [{ node: own, part: 'value', newText: rootRequirementText }] };
    }
    // `security: []` is replaced in place; a missing `security` is added as the operation's last member.
    const requireIt: EditSpec = own ? { node: own, part: 'value', newText: requirementText } : { addMember: { object: operation.node, key: 'security', value: requirement } };
    return { title, safety: 'unsafe', edits: [requireIt, ...declaration] };
  };
}

/** The schemes some operation's security requires. */
function requiredSchemes(model: ApiModel): Set<string> {
  return new Set(model.operations.flatMap((operation) => operation.security.alternatives.flatMap((alternative) => alternative.schemes.map((scheme) => scheme.schemeName))));
}

/** Operations anyone can call: no `security` in force, or `security: []`. */
export default defineRule({
  meta: {
    id: 'operation-auth-missing',
    category: 'authentication',
    defaultSeverity: 'warning',
    description: 'Operation has no effective security requirement; an error when it carries PHI.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [306, 287, 862], owaspApi: ['API2:2023'], hipaa: ['164.312(d)', '164.312(a)(1)'], gdpr: ['Art. 32(1)(b)', 'Art. 9'] },
  },
  check({ model, report }) {
    let requireSchemeFix: ((operation: Operation) => FixSpec | undefined) | undefined;
    let required: Set<string> | undefined;
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
      // Schemes no operation requires: the author declared authentication and forgot to apply it.
      const requiredAnywhere = (required ??= requiredSchemes(model));
      const neverRequired = [...model.securitySchemes.keys()].filter((name) => !requiredAnywhere.has(name));
      const unused = security.source === 'none' && neverRequired.length > 0 ? ` The spec declares ${neverRequired.map((name) => `'${name}'`).join(', ')} but never requires ${neverRequired.length === 1 ? 'it' : 'them'}.` : '';
      const fix = (requireSchemeFix ??= requireSchemeFixes(model))(operation);
      report({
        node: operation.node,
        message: (phi.carriesPhi ? `${label} carries PHI (${phi.reason}) but ${why}.` : `${label} has no authentication: ${why}.`) + unused,
        severity: phi.carriesPhi ? 'error' : 'warning',
        ...(security.node ? { related: [{ node: security.node, message: 'the empty security requirement in force' }] } : {}),
        ...(fix ? { fixes: [fix] } : {}),
      });
    }
  },
});
