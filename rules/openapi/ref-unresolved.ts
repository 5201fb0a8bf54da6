import { defineRule } from '../../server/src/engine/rule';

/** A `$ref` that names a missing file or node, a remote document that is not fetched, or a circular chain. */
export default defineRule({
  meta: {
    id: 'ref-unresolved',
    category: 'syntax',
    defaultSeverity: 'warning',
    description: 'A $ref cannot be followed, so the rules cannot see what it points to.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    engineReported: true,
    references: { cwe: [], owaspApi: ['API9:2023'], hipaa: [], gdpr: [] },
  },
  check() {},
});
