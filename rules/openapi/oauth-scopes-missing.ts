import { defineRule } from '../../server/src/engine/rule';

// TODO(rule author): not implemented yet.
export default defineRule({
  meta: {
    id: 'oauth-scopes-missing',
    category: 'scope',
    defaultSeverity: 'warning',
    description: 'Not implemented yet.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [], owaspApi: [], hipaa: [], gdpr: [] },
  },
  check() {},
});
