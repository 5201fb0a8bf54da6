import { defineRule } from '../../server/src/engine/rule';

/** A file that looks like a spec but is not valid YAML or JSON. Reported by the engine at the place of the error. */
export default defineRule({
  meta: {
    id: 'parse-error',
    category: 'syntax',
    defaultSeverity: 'error',
    description: 'The file is not valid YAML or JSON, so none of its security properties can be checked.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    engineReported: true,
    references: { cwe: [], owaspApi: [], hipaa: [], gdpr: [] },
  },
  check() {},
});
