import type { Operation, RequiredScope, SecurityScheme } from '../../server/src/engine/model/api-model';
import { defineRule } from '../../server/src/engine/rule';
import { grantsRead, grantsWrite, isWriteOnly, operationLabel, parseSmartScope, scopeAccess, schemeScopeNames, type SmartPermission, type SmartScope } from './smart-scopes';
import { siblingNames } from './edit-helpers';

/** Identity and session scopes that say nothing about data access; they neither read nor write. */
const NEUTRAL_SCOPES = /^(openid|profile|email|address|phone|fhirUser|offline_access|online_access|launch(\/[a-z]+)?)$/;

interface ScopeUse extends RequiredScope {
  readonly schemeName: string;
}

/** GET and HEAD, and FHIR's `POST [type]/_search`, a search whose criteria travel in the body. */
function readsOnly(operation: Operation): boolean {
  if (operation.method === 'get' || operation.method === 'head') return true;
  return operation.method === 'post' && /\/_search\/?$/.test(operation.path);
}

/** Which SMART read permission a GET needs: `r` for an instance (`/Observation/{id}`), `s` for a search, both when unclear. */
function neededReadPermissions(operation: Operation): SmartPermission[] {
  const segments = operation.path.replace(/\/+$/, '').split('/').filter(Boolean);
  const last = segments[segments.length - 1] ?? '';
  const type = operation.health.fhirType;
  if (operation.health.fhirOperation) return ['r', 's'];
  if (last === '_history') return /^\{.*\}$/.test(segments[segments.length - 2] ?? '') ? ['r'] : ['s'];
  if (/^\{.*\}$/.test(last) && type) return ['r'];
  if (type && (last === type || last === '_search')) return ['s'];
  return ['r', 's'];
}

/** The narrowest read-only scope of the same context and resource declared by the scheme, covering what the operation needs. */
function narrowestReadScope(used: SmartScope, scheme: SecurityScheme | undefined, needed: readonly SmartPermission[]): string | undefined {
  const candidates = [...schemeScopeNames(scheme)]
    .map(parseSmartScope)
    .filter((smart): smart is SmartScope => !!smart && smart.context === used.context && smart.resource === used.resource && grantsRead(smart) && !grantsWrite(smart))
    .filter((smart) => needed.every((permission) => smart.permissions.has(permission)));
  const rank = (smart: SmartScope): number[] => [smart.query ? 1 : 0, smart.permissions.size, smart.version === used.version ? 0 : 1];
  candidates.sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    for (let index = 0; index < ra.length; index++) if (ra[index] !== rb[index]) return ra[index]! - rb[index]!;
    return 0;
  });
  return candidates[0]?.raw;
}

/** GET/HEAD operations guarded only by write or admin scopes (error), or by SMART read+write scopes when a read scope would do (warning). */
export default defineRule({
  meta: {
    id: 'scope-write-on-read',
    category: 'scope',
    defaultSeverity: 'error',
    description: 'GET/HEAD (or FHIR POST _search) operation requires only write/admin scopes (write does not imply read), or a SMART read+write scope where a read scope would do.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    fixSafety: 'unsafe',
    references: { cwe: [285, 269], owaspApi: ['API5:2023', 'API1:2023'], hipaa: ['164.312(a)(1)', '164.502(b)', '164.514(d)'], gdpr: ['Art. 5(1)(c)', 'Art. 25(2)'] },
  },
  check({ model, report }) {
    const reportedScopes = new Set<string>();
    for (const operation of model.operations) {
      if (!readsOnly(operation)) continue;
      const security = operation.security;
      if (security.allowsAnonymous || security.alternatives.length === 0) continue;
      const label = operationLabel(operation);
      const ownSecurity = security.source === 'operation';
      const alternatives = security.alternatives.map((alternative) =>
        alternative.schemes.flatMap((requirement) => requirement.scopes.map((scope): ScopeUse => ({ ...scope, schemeName: requirement.schemeName }))).filter((scope) => !NEUTRAL_SCOPES.test(scope.scope)),
      );

      // 1. Every alternative grants only write/admin: no token that satisfies the spec is allowed to read.
      const writeOnly = alternatives.every((scopes) => scopes.length > 0 && scopes.some((scope) => isWriteOnly(scope.scope)) && scopes.every((scope) => isWriteOnly(scope.scope)));
      if (writeOnly) {
        const first = alternatives[0]![0]!;
        const all = [...new Set(alternatives.flat().map((scope) => `'${scope.scope}'`))].join(', ');
        const admin = alternatives.flat().some((scope) => scopeAccess(scope.scope).admin);
        report({
          node: ownSecurity ? first.node : operation.node,
          message: admin
            ? `${label} only reads, but every security alternative requires write/admin scopes (${all}): every client that reads must hold write or administrative rights, against least privilege, or the operation is mis-modelled.`
            : `${label} only reads, but every security alternative requires write-only scopes (${all}): a token granted only these cannot read (write does not imply read), so either the operation is mis-modelled or clients must over-request.`,
          ...(ownSecurity ? {} : { related: [{ node: first.node, message: 'the inherited write-only scope' }] }),
        });
        continue;
      }

      // 2. Every alternative needs some write permission, and a SMART scope grants read together with write.
      if (!alternatives.every((scopes) => scopes.some((scope) => scopeAccess(scope.scope).write))) continue;
      const needed = neededReadPermissions(operation);
      for (const scopes of alternatives) {
        for (const scope of scopes) {
          const smart = parseSmartScope(scope.scope);
          // Wildcard resources (`patient/*.*`) are scope-overbroad's finding.
          if (!smart || smart.resource === '*' || !grantsRead(smart) || !grantsWrite(smart)) continue;
          const scheme = model.securitySchemes.get(scope.schemeName);
          const narrow = narrowestReadScope(smart, scheme, needed);
          const instead = narrow ? `; '${narrow}' is declared and enough` : `; declare and require a read scope such as '${smart.context}/${smart.resource}.${needed.join('')}'`;
          if (ownSecurity) {
            const key = `${scope.node.doc.uri}#${scope.node.path.join('/')}`;
            if (reportedScopes.has(key)) continue;
            reportedScopes.add(key);
            report({
              node: scope.node,
              severity: 'warning',
              message: `${label} only reads but requires '${scope.scope}', which also grants write/delete${instead}.`,
              ...(narrow && !siblingNames(scope.node).includes(narrow) ? { fixes: [{ title: `Require '${narrow}'`, safety: 'unsafe' as const, edits: [{ node: scope.node, find: scope.scope, newText: narrow }] }] } : {}),
            });
          } else {
            report({
              node: operation.node,
              severity: 'warning',
              message: `${label} only reads but inherits the root requirement '${scope.scope}', which also grants write/delete${instead} (override 'security' on the operation).`,
              related: [{ node: scope.node, message: 'the inherited read+write scope' }],
            });
          }
        }
      }
    }
  },
});
