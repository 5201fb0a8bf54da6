import type { Operation } from '../../server/src/engine/model/api-model';
import { defineRule } from '../../server/src/engine/rule';
import { operationsLabel, schemeScopeNames, usedRequirements } from './smart-scopes';

/**
 * An oauth2 requirement with an empty scope list (`oauth: []`) guarding PHI: any access token the authorization
 * server issues, whatever it was granted for, passes. Reported once per requirement, on the scheme-name key.
 */
export default defineRule({
  meta: {
    id: 'oauth-scopes-missing',
    category: 'scope',
    defaultSeverity: 'warning',
    description: 'OAuth 2 requirement with an empty scope list on an operation that carries PHI: any token suffices.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [285, 269], owaspApi: ['API5:2023', 'API1:2023'], hipaa: ['164.312(a)(1)', '164.502(b)', '164.514(d)'], gdpr: ['Art. 5(1)(c)', 'Art. 25(2)'] },
  },
  check({ model, report }) {
    for (const requirement of usedRequirements(model)) {
      // Only a written empty list: a malformed value (`oauth: read`) is a schema error, not "no scopes".
      if (requirement.scheme?.type !== 'oauth2' || !Array.isArray(requirement.node.value) || requirement.node.value.length > 0) continue;
      const phiOperations: Operation[] = requirement.operations.filter((operation) => !operation.isPublicByDesign && operation.phiEvidence().carriesPhi);
      if (phiOperations.length === 0) continue;
      const reason = phiOperations[0]!.phiEvidence().reason;
      const declared = schemeScopeNames(requirement.scheme);
      const where = requirement.level === 'root' ? `The root security requirement guards ${operationsLabel(phiOperations)}, which carr${phiOperations.length === 1 ? 'ies' : 'y'} PHI` : `${operationsLabel(phiOperations)} carries PHI`;
      report({
        node: requirement.node,
        part: 'key',
        message:
          `${where} (${reason}), but requires oauth2 scheme '${requirement.schemeName}' with no scopes: any token the authorization server issues passes. ` +
          (declared.size > 0 ? `Require the narrowest of its ${declared.size} declared scopes.` : 'The scheme declares no scopes either; declare and require one per kind of access.'),
      });
    }
  },
});
