import { defineRule } from '../../server/src/engine/rule';
import { operationsLabel, parseSmartScope, schemeScopeNames, smartEquivalents, usedRequirements } from './smart-scopes';
import { siblingNames } from './edit-helpers';

/**
 * A security requirement names a scope that no flow of its oauth2 scheme declares. Only oauth2 schemes are checked:
 * openIdConnect scopes live in the provider's discovery document, and OpenAPI 3.1 lets other scheme types list
 * role names that are never declared. Undefined schemes are `security-scheme-undefined`'s finding.
 */
export default defineRule({
  meta: {
    id: 'scope-undeclared',
    category: 'scope',
    defaultSeverity: 'error',
    description: 'Security requirement uses a scope that its oauth2 scheme does not declare.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [285, 269], owaspApi: ['API5:2023', 'API1:2023'], hipaa: ['164.312(a)(1)', '164.502(b)'], gdpr: ['Art. 25(2)'] },
  },
  check({ model, report }) {
    for (const requirement of usedRequirements(model)) {
      const scheme = requirement.scheme;
      if (!scheme || scheme.type !== 'oauth2') continue;
      const declared = schemeScopeNames(scheme);
      for (const used of requirement.scopes) {
        if (declared.has(used.scope)) continue;
        const where = requirement.level === 'root' ? `the root security requirement (${operationsLabel(requirement.operations)})` : operationsLabel(requirement.operations);
        const smart = parseSmartScope(used.scope);
        const equivalent = smart ? smartEquivalents(smart).find((candidate) => declared.has(candidate)) : undefined;
        const caseVariant = equivalent ? undefined : [...declared].find((candidate) => candidate.toLowerCase() === used.scope.toLowerCase());
        const replacement = equivalent ?? caseVariant;
        const hint = equivalent
          ? ` It declares the ${smart!.version === 'v1' ? 'v2' : 'v1'} spelling '${equivalent}'; servers need not accept both.`
          : caseVariant
            ? ` It declares '${caseVariant}' (scopes are case-sensitive).`
            : declared.size === 0
              ? ' The scheme declares no scopes at all.'
              : '';
        report({
          node: used.node,
          message: `Scope '${used.scope}' required by ${where} is not declared by oauth2 scheme '${requirement.schemeName}'.${hint}`,
          // Not when the list has the declared spelling already: the rename would require the same scope twice.
          ...(replacement && !siblingNames(used.node).includes(replacement)
            ? { fixes: [{ title: `Require the declared '${replacement}'`, safety: 'unsafe' as const, edits: [{ node: used.node, find: used.scope, newText: replacement }] }] }
            : {}),
        });
      }
    }
  },
});
