import type { Operation, PhiField } from '../../server/src/engine/model/api-model';
import { defineRule } from '../../server/src/engine/rule';
import { isBooleanField, isConvincingPhi } from './phi-value-patterns';

const SUCCESS = /^(2\d\d|2XX|default)$/i;
const NAMED_FIELDS = 3;

function whyAnonymous(operation: Operation): string {
  const security = operation.security;
  if (security.source === 'none') return 'no security requirement applies';
  if (security.alternatives.length === 0) return "'security: []' removes every requirement";
  return "an empty '{}' alternative in its security makes authentication optional";
}

/** Login endpoints authenticate with the credentials in their body; their response is for the caller who just proved who they are. */
const LOGIN_SEGMENT = /^(login|log-in|logon|signin|sign-in|sign_in|authenticate|authentication|session|sessions)$/i;

function rank(field: PhiField): number {
  if (field.match.category === 'declared') return 0;
  return (field.match.strength === 'strong' ? 0 : 3) + (field.match.weight === 'high' ? 1 : field.match.weight === 'medium' ? 2 : 3);
}

/** PHI fields per success response, de-duplicated by name, in response order. */
function phiFieldsByResponse(operation: Operation, phiFieldsOfSchema: (schema: Operation['responses'][number]['schemas'][number], context: readonly string[]) => readonly PhiField[]) {
  const context = [...operation.path.split('/').filter(Boolean), ...(operation.health.fhirType ? [operation.health.fhirType] : [])];
  // A DICOMweb or FHIR PHI path makes its payload person data even when the schema is not named `Patient`.
  if (operation.health.carriesPhi) context.push('Patient');
  const statuses: string[] = [];
  const fields: PhiField[] = [];
  const names = new Set<string>();
  for (const response of operation.responses) {
    if (!SUCCESS.test(response.status)) continue;
    let found = false;
    for (const schema of response.schemas) {
      for (const field of phiFieldsOfSchema(schema, context)) {
        // Flags such as `sleep: true` describe capabilities or consents, not a person's data.
        if (isBooleanField(field)) continue;
        found = true;
        if (names.has(field.name)) continue;
        names.add(field.name);
        fields.push(field);
      }
    }
    if (found) statuses.push(response.status);
  }
  return { statuses, fields };
}

/**
 * Operations anyone can call (no requirement, `security: []`, or an optional `{}` alternative) whose success
 * responses return PHI fields. Complements `operation-auth-missing` (about the missing requirement): this rule is
 * about what the anonymous caller gets back, names the fields and points at where they are declared.
 */
export default defineRule({
  meta: {
    id: 'phi-response-unauthenticated',
    category: 'phi-exposure',
    defaultSeverity: 'error',
    description: 'Operation callable without credentials returns PHI fields in a success response.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [359, 200], owaspApi: ['API3:2023'], hipaa: ['164.312(a)(1)', '164.312(d)'], gdpr: ['Art. 9', 'Art. 32'] },
  },
  check({ model, report }) {
    for (const operation of model.operations) {
      if (!operation.security.allowsAnonymous || operation.isPublicByDesign || operation.declaredPhi === 'public') continue;
      // A required credential parameter (`Authorization` header) authenticates the call even without a scheme.
      if (operation.credentialParameters.some((parameter) => (parameter.node.value as { required?: unknown }).required === true)) continue;
      const lastSegment = operation.path.split('/').filter(Boolean).pop() ?? '';
      if (LOGIN_SEGMENT.test(lastSegment)) continue;
      // Cheap gate first: the model's PHI verdict is memoised and shared with other rules.
      if (!operation.phiEvidence().carriesPhi) continue;
      const { statuses, fields } = phiFieldsByResponse(operation, model.phiFieldsOfSchema);
      if (fields.length === 0 || !isConvincingPhi(operation, fields)) continue;
      const label = `${operation.method.toUpperCase()} ${operation.path}`;
      // Name the most telling fields first: declared and strong high-weight terms before `city` or `gender`.
      fields.sort((a, b) => rank(a) - rank(b));
      const named = fields.slice(0, NAMED_FIELDS).map((field) => `'${field.name}'`).join(', ');
      const rest = fields.length > NAMED_FIELDS ? ` and ${fields.length - NAMED_FIELDS} more` : '';
      const responses = statuses.length === 1 ? `its ${statuses[0]} response returns` : `its ${statuses.join('/')} responses return`;
      report({
        node: operation.node,
        message: `${label} can be called without credentials (${whyAnonymous(operation)}) and ${responses} PHI: ${named}${rest}.`,
        related: fields.slice(0, NAMED_FIELDS).map((field) => ({
          node: field.node,
          part: 'key' as const,
          message: `PHI field '${field.name}' (${field.match.category}, matches '${field.match.term}')`,
        })),
      });
    }
  },
});
