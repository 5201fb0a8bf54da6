import { defineRule } from '../../server/src/engine/rule';
import { declaredScopes, isExportOperation, operationsLabel, overbreadth, schemeScopeNames, usedRequirements } from './smart-scopes';

/**
 * Wildcard and admin scopes. Declarations (oauth2 flow `scopes` keys) are reported on the key; a use in a
 * `security` requirement is reported only when its scheme does not declare the scope (openIdConnect, roles of
 * non-oauth2 schemes in 3.1, or a missing declaration), so one overbroad scope gives one finding, not one per operation.
 */
export default defineRule({
  meta: {
    id: 'scope-overbroad',
    category: 'scope',
    defaultSeverity: 'warning',
    description: 'Wildcard or admin scope (`*`, `admin`, `write:*`, SMART `patient/*.*`, `system/*.cruds`); an error when it grants write on everything.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [285, 269], owaspApi: ['API5:2023', 'API1:2023'], hipaa: ['164.312(a)(1)', '164.502(b)', '164.514(d)'], gdpr: ['Art. 5(1)(c)', 'Art. 25(2)'] },
  },
  check({ model, report }) {
    const requirements = usedRequirements(model);
    for (const declaration of declaredScopes(model)) {
      const breadth = overbreadth(declaration.scope);
      if (!breadth) continue;
      const users = requirements
        .filter((requirement) => requirement.schemeName === declaration.scheme.name && requirement.scopes.some((used) => used.scope === declaration.scope))
        .flatMap((requirement) => requirement.operations);
      let usage = users.length > 0 ? `; required by ${operationsLabel(users)}` : '';
      if (breadth.exportRead) {
        const outside = users.filter((operation) => !isExportOperation(operation));
        // Bulk Data export across all data is what `system/*.read` is for.
        if (users.length > 0 && outside.length === 0) continue;
        if (outside.length > 0) usage = `; required by ${operationsLabel(outside)}, which is not a Bulk Data $export`;
      }
      report({
        node: declaration.node,
        part: 'key',
        severity: breadth.severity,
        message: `Scope '${declaration.scope}' of scheme '${declaration.scheme.name}' is overbroad: ${breadth.why}${usage}.`,
      });
    }
    for (const requirement of requirements) {
      const declared = schemeScopeNames(requirement.scheme);
      for (const used of requirement.scopes) {
        if (declared.has(used.scope)) continue; // reported once, at its declaration
        const breadth = overbreadth(used.scope);
        if (!breadth) continue;
        if (breadth.exportRead && requirement.operations.length > 0 && requirement.operations.every(isExportOperation)) continue;
        const where = requirement.level === 'root' ? `The root security requirement (${operationsLabel(requirement.operations)})` : operationsLabel(requirement.operations);
        report({
          node: used.node,
          severity: breadth.severity,
          message: `${where} requires the overbroad scope '${used.scope}' of scheme '${requirement.schemeName}': ${breadth.why}.`,
        });
      }
    }
  },
});
