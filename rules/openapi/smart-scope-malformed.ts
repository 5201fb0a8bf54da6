import type { SecurityScheme } from '../../server/src/engine/model/api-model';
import { defineRule } from '../../server/src/engine/rule';
import type { SpecNode } from '../../server/src/engine/spec-node';
import { siblingNames } from './edit-helpers';
import { declaredScopes, operationsLabel, schemeScopeNames, smartScopeProblem, usedRequirements, vendorLowercaseResources } from './smart-scopes';

/**
 * SMART-looking scopes that break the v1/v2 grammar (`patient/Observation.rw`, `.dus`, `patient/observation.read`,
 * `patients/...`, `launch/Patient`, `patient:Observation.read`, a missing or doubled suffix). Ordinary OAuth scopes
 * (`read:users`, `user:email`, `user.metrics`, URLs) are never judged. Declarations and uses are both reported:
 * fixing one does not fix the other.
 */
export default defineRule({
  meta: {
    id: 'smart-scope-malformed',
    category: 'scope',
    defaultSeverity: 'error',
    description: 'SMART on FHIR scope that violates the v1/v2 grammar (out-of-order or unknown letters, lower-case resource, bad context, missing suffix).',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [285, 269], owaspApi: ['API5:2023', 'API1:2023'], hipaa: ['164.312(a)(1)', '164.502(b)'], gdpr: ['Art. 25(2)'] },
  },
  check({ model, report }) {
    const vendorVocabulary = new Map<string, boolean>();
    const isVendor = (scheme: SecurityScheme | undefined): boolean => {
      if (!scheme) return false;
      if (!vendorVocabulary.has(scheme.name)) vendorVocabulary.set(scheme.name, vendorLowercaseResources([...schemeScopeNames(scheme)]));
      return vendorVocabulary.get(scheme.name)!;
    };
    /** Corrected spellings already offered as fixes, per scopes map or list. */
    const offeredIn = new Map<string, Set<string>>();
    const judge = (scope: string, node: SpecNode, part: 'key' | 'value', scheme: SecurityScheme | undefined, where: string): void => {
      const problem = smartScopeProblem(scope);
      if (!problem) return;
      if (problem.lowercaseResource && isVendor(scheme)) return;
      // Renaming to a spelling the same map or list already has, or that another item's fix writes there, would
      // leave a duplicate key or scope.
      const container = `${node.doc.uri}#${node.path.slice(0, -1).join('\u0000')}`;
      const offered = offeredIn.get(container) ?? new Set<string>();
      offeredIn.set(container, offered);
      const correctedExists = problem.suggestion !== undefined && (siblingNames(node).includes(problem.suggestion) || offered.has(problem.suggestion));
      if (problem.suggestion !== undefined) offered.add(problem.suggestion);
      const advice = correctedExists ? ` '${problem.suggestion}' is listed next to it: remove this spelling.` : '';
      report({
        node,
        part,
        message: `${where} '${scope}' is not a valid SMART on FHIR scope: ${problem.problem}${problem.suggestion ? ` (did you mean '${problem.suggestion}'?)` : ''}. Servers may reject it or grant something else.${advice}`,
        ...(problem.suggestion && !correctedExists
          ? { fixes: [{ title: `Use '${problem.suggestion}'`, safety: 'unsafe' as const, edits: [{ node, part, find: scope, newText: problem.suggestion }] }] }
          : {}),
      });
    };
    for (const declaration of declaredScopes(model)) {
      judge(declaration.scope, declaration.node, 'key', declaration.scheme, `Scope declared by scheme '${declaration.scheme.name}'`);
    }
    for (const requirement of usedRequirements(model)) {
      for (const used of requirement.scopes) {
        const where = requirement.level === 'root' ? `Scope required by the root security requirement (${operationsLabel(requirement.operations)})` : `Scope required by ${operationsLabel(requirement.operations)}`;
        judge(used.scope, used.node, 'value', requirement.scheme, where);
      }
    }
  },
});
