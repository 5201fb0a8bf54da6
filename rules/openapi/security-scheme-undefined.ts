import { defineRule } from '../../server/src/engine/rule';
import { closestSchemeName, declaredSchemeNames, requirementSites, schemeContainerName } from './auth-helpers';

/** A security requirement that names a scheme nobody declared: nothing can enforce it. */
export default defineRule({
  meta: {
    id: 'security-scheme-undefined',
    category: 'authentication',
    defaultSeverity: 'error',
    description: 'A security requirement names a scheme that is not declared in components.securitySchemes / securityDefinitions.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [287, 306], owaspApi: ['API2:2023'], hipaa: ['164.312(d)'], gdpr: ['Art. 32(1)(b)'] },
  },
  check({ model, report }) {
    const container = schemeContainerName(model);
    const declaredNames = declaredSchemeNames(model);
    for (const site of requirementSites(model)) {
      for (const [name, node] of site.entries) {
        if (declaredNames.has(name)) continue;
        const suggestion = closestSchemeName(name, model.securitySchemes);
        const declared = declaredNames.size === 0 ? `no scheme is declared in ${container}` : `it is not declared in ${container}`;
        report({
          node,
          part: 'key',
          message:
            `The ${site.where} names security scheme '${name}', but ${declared}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}: ` +
            'validators reject the spec and generated clients and gateways cannot enforce the requirement.',
        });
      }
    }
  },
});
