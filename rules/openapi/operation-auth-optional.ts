import type { Operation } from '../../server/src/engine/model/api-model';
import { defineRule, type FixSpec } from '../../server/src/engine/rule';
import { isPlainObject, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';
import { describePhiOperations, operationLabel, phiOperations, removeSecurityItemEdit } from './auth-helpers';

interface AnonymousAlternative {
  readonly node: SpecNode;
  readonly security: SpecNode;
  readonly source: 'operation' | 'root';
  /** True when every alternative of the array is empty: there is nothing to authenticate with at all. */
  readonly onlyAnonymous: boolean;
  readonly operations: Operation[];
}

/** An empty `{}` security alternative makes authentication optional; an error when a PHI operation is affected. */
export default defineRule({
  meta: {
    id: 'operation-auth-optional',
    category: 'authentication',
    defaultSeverity: 'error',
    description: "Effective security contains an empty '{}' alternative, so the operation can be called anonymously; error for PHI operations, info otherwise.",
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [306, 287], owaspApi: ['API2:2023'], hipaa: ['164.312(d)'], gdpr: ['Art. 32(1)(b)'] },
  },
  check({ model, report }) {
    // A root `{}` is inherited by many operations: group them so the `{}` is reported once.
    const groups = new Map<string, AnonymousAlternative>();
    for (const operation of model.operations) {
      const security = operation.security;
      if (operation.isPublicByDesign || !security.node || security.source === 'none') continue;
      const nonEmpty = security.alternatives.filter((alternative) => alternative.schemes.length > 0);
      for (const alternative of security.alternatives) {
        if (alternative.schemes.length > 0 || !isPlainObject(alternative.node.value)) continue;
        const key = nodeKey(alternative.node);
        let group = groups.get(key);
        if (!group) {
          group = { node: alternative.node, security: security.node, source: security.source, onlyAnonymous: nonEmpty.length === 0, operations: [] };
          groups.set(key, group);
        }
        group.operations.push(operation);
      }
    }

    for (const group of groups.values()) {
      const phi = phiOperations(group.operations);
      const [first] = group.operations;
      if (!first) continue;
      const where = group.source === 'root' ? 'The root security' : `The security of ${operationLabel(first)}`;
      const affected =
        group.source === 'root' ? ` (inherited by ${group.operations.length === 1 ? operationLabel(first) : `${group.operations.length} operations`})` : '';
      const effect = group.onlyAnonymous
        ? "has only the empty requirement '{}', so no credential is ever needed"
        : "contains the empty requirement '{}', so authentication is optional and clients may call anonymously";
      const message =
        phi.length > 0
          ? `${where}${affected} ${effect}, yet it guards PHI: ${describePhiOperations(phi)}.`
          : `${where}${affected} ${effect}; no PHI was detected, so this is informational.`;
      const edit = group.onlyAnonymous ? undefined : removeSecurityItemEdit(group.node, group.security);
      const fixes: FixSpec[] = edit ? [{ title: "Remove the empty '{}' requirement (authentication becomes mandatory)", safety: 'unsafe', edits: [edit] }] : [];
      report({ node: group.node, part: 'value', message, severity: phi.length > 0 ? 'error' : 'info', fixes });
    }
  },
});
