/**
 * Shared scope helpers for the scope rules (scope-overbroad, scope-write-on-read, scope-undeclared,
 * oauth-scopes-missing, smart-scope-malformed): SMART on FHIR v1/v2 parsing, a coarse read/write/admin
 * classification of ordinary OAuth scopes, and de-duplicated iteration over declared and required scopes.
 */
import vocabulary from '../../server/data/phi-vocabulary.json';
import type { ApiModel, Operation, SecurityScheme } from '../../server/src/engine/model/api-model';
import { isFhirResourceName } from '../../server/src/engine/phi/phi-classifier';
import { entriesOf, itemsOf, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';

// --- SMART on FHIR ---------------------------------------------------------------------------

export type SmartContext = 'patient' | 'user' | 'system';
export type SmartPermission = 'c' | 'r' | 'u' | 'd' | 's';

export interface SmartScope {
  readonly raw: string;
  readonly context: SmartContext;
  /** `*` or a FHIR resource type as written (`Observation`). */
  readonly resource: string;
  readonly version: 'v1' | 'v2';
  /** The suffix as written: `read`, `write`, `*`, `rs`, `cruds`... */
  readonly suffix: string;
  /** Permissions in v2 letters (v1 `.read` = `rs`, `.write` = `cud`, `.*` = `cruds`). */
  readonly permissions: ReadonlySet<SmartPermission>;
  /** v2 granular `?param=value` restriction, without the `?`. */
  readonly query?: string;
}

const V1 = new RegExp(vocabulary.smartScopes.v1.regex);
const V2 = new RegExp(vocabulary.smartScopes.v2.regex);
const V1_PERMISSIONS: Record<string, string> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** Parses a well-formed SMART clinical scope (v1 or v2); undefined for anything else. */
export function parseSmartScope(scope: string): SmartScope | undefined {
  const v1 = V1.exec(scope);
  if (v1) {
    const [, context, resource, suffix] = v1;
    return { raw: scope, context: context as SmartContext, resource: resource!, version: 'v1', suffix: suffix!, permissions: new Set(V1_PERMISSIONS[suffix!]!.split('') as SmartPermission[]) };
  }
  const v2 = V2.exec(scope);
  if (v2) {
    const [, context, resource, letters, query] = v2;
    return {
      raw: scope,
      context: context as SmartContext,
      resource: resource!,
      version: 'v2',
      suffix: letters!,
      permissions: new Set(letters!.split('') as SmartPermission[]),
      ...(query ? { query: query.slice(1) } : {}),
    };
  }
  return undefined;
}

export const grantsRead = (smart: SmartScope): boolean => smart.permissions.has('r') || smart.permissions.has('s');
export const grantsWrite = (smart: SmartScope): boolean => smart.permissions.has('c') || smart.permissions.has('u') || smart.permissions.has('d');

/** The v1 ⇄ v2 spellings of the same SMART scope (`patient/Patient.read` ⇄ `patient/Patient.rs`). */
export function smartEquivalents(smart: SmartScope): string[] {
  if (smart.query) return [];
  const prefix = `${smart.context}/${smart.resource}.`;
  const letters = ['c', 'r', 'u', 'd', 's'].filter((letter) => smart.permissions.has(letter as SmartPermission)).join('');
  if (smart.version === 'v1') return [prefix + letters];
  const v1 = Object.entries(V1_PERMISSIONS).find(([, v2]) => v2 === letters)?.[0];
  return v1 ? [prefix + v1] : [];
}

/** What a malformed SMART-looking scope does wrong, or undefined when the string is fine or not SMART-like at all. */
export interface SmartProblem {
  readonly problem: string;
  /** A corrected spelling when one is obvious. */
  readonly suggestion?: string;
  /** True for a lower-case resource segment (may be a vendor's own vocabulary, see `vendorLowercaseResources`). */
  readonly lowercaseResource?: boolean;
}

const CONTEXTS = ['patient', 'user', 'system'];
const V1_SUFFIXES = ['read', 'write', '*'];
const SHAPE = /^(?<context>[A-Za-z*]+)(?<sep>[/:])(?<resource>[^./:?]*)(?<rest>.*)$/;

function fhirTypeCaseVariant(name: string): string | undefined {
  const lower = name.toLowerCase();
  return FHIR_TYPES_BY_LOWER.get(lower);
}

const FHIR_TYPES_BY_LOWER: Map<string, string> = (() => {
  const map = new Map<string, string>();
  const resources = vocabulary.fhirResources as Record<string, unknown>;
  const add = (value: unknown): void => {
    if (typeof value === 'string' && /^[A-Z][A-Za-z]+$/.test(value) && isFhirResourceName(value)) map.set(value.toLowerCase(), value);
    else if (Array.isArray(value)) value.forEach(add);
    else if (value && typeof value === 'object') Object.values(value).forEach(add);
  };
  add(resources);
  return map;
})();

/** A valid v2 suffix is a non-empty in-order subset of `cruds`. */
function validV2Letters(letters: string): boolean {
  return letters.length > 0 && /^c?r?u?d?s?$/.test(letters);
}

/**
 * Judges a scope string that looks like a SMART clinical or launch scope. Only strings that start with a
 * SMART context word (`patient`, `user`, `system`, their plurals, `launch`; any case) followed by `/`, or by `:`
 * and a FHIR type, or that have the `<word>/<FhirType>.<permission>` shape are considered, so ordinary scopes
 * (`read:users`, `user:email`, `user.metrics`, URLs) are never judged.
 */
export function smartScopeProblem(scope: string): SmartProblem | undefined {
  if (scope.includes('://') || /\s/.test(scope)) return undefined;
  const shape = SHAPE.exec(scope)?.groups;
  if (!shape) return undefined;
  const context = shape['context']!;
  const sep = shape['sep']!;
  const resource = shape['resource']!;
  const rest = shape['rest']!;
  const lowerContext = context.toLowerCase();
  const contextWord = lowerContext.replace(/s$/, '');
  const resourceType = resource === '*' ? '*' : /^[A-Z][A-Za-z]+$/.test(resource) && isFhirResourceName(resource) ? resource : fhirTypeCaseVariant(resource);

  // `launch`, `launch/patient`, `launch/encounter`: lower-case context names only.
  if (lowerContext === 'launch') {
    if (sep !== '/') return undefined;
    if (/[A-Z]/.test(resource + rest)) return { problem: `launch context names are lower case`, suggestion: `launch/${(resource + rest).toLowerCase()}` };
    return undefined;
  }
  // `*/...` contexts are reported by scope-overbroad, not here.
  if (context === '*') return undefined;

  const smartContext = CONTEXTS.includes(contextWord);
  if (sep === ':') {
    // `user:email` (GitHub) is not SMART; `patient:Observation.read` is a SMART scope with the wrong separator.
    if (!smartContext || !resourceType || !rest.startsWith('.')) return undefined;
    return { problem: `SMART scopes separate context and resource with '/', not ':'`, suggestion: `${contextWord}/${resource}${rest}` };
  }
  if (!smartContext) {
    // Other `<word>/<FhirType>.<permission>` strings: an unknown context.
    if (resourceType && /^\.(read|write|\*|[cruds]+)$/i.test(rest)) return { problem: `'${context}' is not a SMART context (patient, user or system)` };
    return undefined;
  }
  if (context !== contextWord) {
    return { problem: `the SMART context is '${contextWord}', lower case and singular`, suggestion: parseSmartScope(contextWord + '/' + resource + rest) ? contextWord + '/' + resource + rest : undefined };
  }
  // Vendor operation scopes (`patient/DocumentReference.$docref`) are outside the grammar but documented by their vendors.
  if (/^\.\$[A-Za-z][\w-]*$/.test(rest) && (resourceType === resource || resource === '*')) return undefined;
  if (!resource) return { problem: 'the resource type is missing' };
  if (resource !== '*' && !/^[A-Z][A-Za-z]+$/.test(resource)) {
    if (!resourceType) {
      // Not a FHIR type in any case (`user/dental_issue.read`): a vendor's own resource vocabulary, unless it is clearly SMART-shaped nonsense.
      if (/^[a-z][A-Za-z]*$/.test(resource) && /^\.(read|write|\*)$/.test(rest)) return { problem: `'${resource}' is not a FHIR resource type`, lowercaseResource: true };
      return undefined;
    }
    const fixed = `${context}/${resourceType}${rest}`;
    return { problem: `FHIR resource types are case-sensitive: '${resource}' should be '${resourceType}'`, ...(parseSmartScope(fixed) ? { suggestion: fixed } : {}), lowercaseResource: true };
  }
  if (!rest) return { problem: `the permission suffix is missing (v1 '.read'/'.write'/'.*', v2 letters from 'cruds')` };
  if (parseSmartScope(scope)) return undefined;
  if (!rest.startsWith('.')) return { problem: `the resource type must be followed by '.' and a permission` };
  const [suffix = '', ...more] = rest.slice(1).split('?');
  const query = more.join('?');
  if (!suffix) return { problem: `the permission suffix after '.' is missing (v1 'read'/'write'/'*', v2 letters from 'cruds')` };
  const dots = suffix.split('.');
  if (dots.length > 1) return { problem: `only one permission suffix is allowed ('.${suffix}')`, ...(dots.every((part) => V1_SUFFIXES.includes(part)) ? { suggestion: `${context}/${resource}.${dots.includes('*') || (dots.includes('read') && dots.includes('write')) ? '*' : dots[0]}` } : {}) };
  if (V1_SUFFIXES.includes(suffix) && query) return { problem: `'?${query}' restrictions need a v2 suffix (letters from 'cruds'), not '.${suffix}'` };
  if (/^[a-z]+$/i.test(suffix) && V1_SUFFIXES.includes(suffix.toLowerCase())) return { problem: `the permission '${suffix}' must be lower case`, suggestion: `${context}/${resource}.${suffix.toLowerCase()}` };
  if (/^[a-z]+$/i.test(suffix)) {
    const letters = suffix.toLowerCase();
    if ([...letters].every((letter) => 'cruds'.includes(letter)) && new Set(letters).size === letters.length && !validV2Letters(letters)) {
      const ordered = [...'cruds'].filter((letter) => letters.includes(letter)).join('');
      return { problem: `v2 permission letters must be an in-order subset of 'cruds' ('.${suffix}' is undefined; '.${ordered}' is the valid spelling)`, suggestion: `${context}/${resource}.${ordered}${query ? '?' + query : ''}` };
    }
    return { problem: `'.${suffix}' is neither a v1 permission (read, write, *) nor a v2 subset of 'cruds'` };
  }
  return { problem: `'.${suffix}' is neither a v1 permission (read, write, *) nor a v2 subset of 'cruds'` };
}

/**
 * Lower-case resource scopes are a vendor vocabulary, not typos, when the same scheme also declares at least two
 * lower-case scopes whose resource is no FHIR type at all (OpenEMR's `user/allergy.read`, `user/soap_note.write` next to its FHIR scopes).
 */
export function vendorLowercaseResources(scopes: readonly string[]): boolean {
  const foreign = scopes.filter((scope) => {
    const match = /^(patient|user|system)\/([a-z][a-z0-9_]*)\.[a-z*]+$/.exec(scope);
    return match && !fhirTypeCaseVariant(match[2]!);
  });
  return foreign.length >= 2;
}

// --- ordinary OAuth scopes -----------------------------------------------------------------------

export interface ScopeAccess {
  readonly read: boolean;
  readonly write: boolean;
  readonly admin: boolean;
  /** False when the scope's words say nothing about access (`group`, `profile`, `user_impersonation`). */
  readonly known: boolean;
}

const READ_WORDS = new Set(['read', 'readonly', 'reads', 'view', 'viewer', 'get', 'list', 'search']);
const WRITE_WORDS = new Set(['write', 'writeonly', 'writes', 'create', 'update', 'delete', 'modify', 'edit']);
const READWRITE_WORDS = new Set(['readwrite', 'rw', 'manage', 'full', 'fullaccess']);
const ADMIN_WORDS = new Set(['admin', 'administrator', 'superuser', 'root']);

/** Coarse access a scope names: SMART scopes by their letters, others by their words (`write:x`, `x.write`, `x/admin`). */
export function scopeAccess(scope: string): ScopeAccess {
  const smart = parseSmartScope(scope);
  if (smart) return { read: grantsRead(smart), write: grantsWrite(smart), admin: false, known: true };
  const text = scope.replace(/^https?:\/\/[^/]+\/(auth\/)?/i, '');
  if (text === '*' || /^(\*:\*|all)$/i.test(text)) return { read: true, write: true, admin: true, known: true };
  const words = text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z*]+/)
    .filter(Boolean);
  const admin = words.some((word) => ADMIN_WORDS.has(word));
  const readWrite = words.some((word) => READWRITE_WORDS.has(word)) || (words.includes('read') && words.includes('write'));
  const read = readWrite || words.some((word) => READ_WORDS.has(word));
  const write = readWrite || words.some((word) => WRITE_WORDS.has(word));
  return { read, write, admin, known: read || write || admin };
}

/** A requirement that can be met by a write- or admin-only token and not by a reading one. */
export function isWriteOnly(scope: string): boolean {
  const access = scopeAccess(scope);
  return access.known && !access.read && (access.write || access.admin);
}

// --- overbroad scopes ----------------------------------------------------------------------------

export interface Overbreadth {
  readonly severity: 'error' | 'warning';
  readonly why: string;
  /** A SMART wildcard read (`system/*.read`), legitimate on Bulk Data `$export`. */
  readonly exportRead?: boolean;
}

/** Wildcard and admin scopes: SMART rubric (HEALTH-DOMAIN §5.4) plus generic OAuth names. */
export function overbreadth(scope: string): Overbreadth | undefined {
  // `*/` is no SMART context, but its meaning is plain: every context. Parse it as if it were one.
  const anyContext = scope.startsWith('*/');
  const smart = parseSmartScope(anyContext ? 'system/' + scope.slice(2) : scope);
  if (smart && smart.resource === '*') {
    const context = anyContext ? '*' : smart.context;
    if (grantsWrite(smart)) {
      const who = context === 'system' ? 'with no user in the loop' : context === '*' ? 'in every context' : context === 'user' ? 'on everything the user may reach' : 'for the patient in context';
      return { severity: 'error', why: `write/delete on every FHIR resource type, now and in the future, ${who}` };
    }
    return {
      severity: context === '*' ? 'error' : 'warning',
      why: 'read access to every FHIR resource type, now and in the future (SMART asks clients not to use wildcards for convenience)',
      ...(context === 'system' ? { exportRead: true } : {}),
    };
  }
  if (smart && anyContext) return { severity: grantsWrite(smart) ? 'error' : 'warning', why: `'*/' grants ${smart.resource} in every context (patient, user and system)` };
  // A concrete SMART resource scope (`patient/Observation.*`) is judged per operation by scope-write-on-read.
  if (smart) return undefined;
  const text = scope.trim();
  const lower = text.toLowerCase();
  if (['*', '*:*', '*.*', 'all', 'root', 'superuser', 'admin', 'administrator'].includes(lower)) return { severity: 'error', why: 'full access to the whole API' };
  if (/^(write|delete|admin|manage)[:./](\*|all)$/.test(lower) || /^(\*|all)[:./](write|delete|admin|manage)$/.test(lower)) return { severity: 'error', why: 'write or admin access to every resource' };
  if (/^(read|view)[:./](\*|all)$/.test(lower) || /^(\*|all)[:./](read|view)$/.test(lower)) return { severity: 'warning', why: 'read access to every resource' };
  if (/[:./](admin|administrator|superuser|root)$/.test(lower) || /^(admin|superuser|root)[:./]/.test(lower)) return { severity: 'warning', why: 'administrative access to an area of the API' };
  if (!lower.includes('://') && /(^|[:./])\*($|[:./])/.test(lower)) return { severity: 'warning', why: 'a wildcard scope' };
  return undefined;
}

// --- where scopes are written ----------------------------------------------------------------

export interface DeclaredScope {
  readonly scope: string;
  readonly node: SpecNode;
  readonly scheme: SecurityScheme;
}

/** Every declared scope (oauth2 flow `scopes` keys), de-duplicated by where it is written. */
export function declaredScopes(model: ApiModel): DeclaredScope[] {
  const seen = new Set<string>();
  const result: DeclaredScope[] = [];
  for (const scheme of model.securitySchemes.values()) {
    for (const flow of scheme.flows) {
      for (const declaration of flow.scopes) {
        const key = nodeKey(declaration.node);
        if (seen.has(key)) continue;
        seen.add(key);
        result.push({ scope: declaration.scope, node: declaration.node, scheme });
      }
    }
  }
  return result;
}

/** Names of the scopes declared in any flow of a scheme. */
export function schemeScopeNames(scheme: SecurityScheme | undefined): Set<string> {
  return new Set(scheme?.flows.flatMap((flow) => flow.scopes.map((scope) => scope.scope)) ?? []);
}

export interface UsedRequirement {
  readonly schemeName: string;
  readonly scheme?: SecurityScheme;
  /** The key naming the scheme inside the requirement object. */
  readonly node: SpecNode;
  readonly scopes: readonly { readonly scope: string; readonly node: SpecNode }[];
  /** Operations this requirement applies to (empty for a root `security` every operation overrides). */
  readonly operations: Operation[];
  readonly level: 'root' | 'operation';
}

/** Every scheme requirement written in a `security` array (root or operation), once per place, with the operations it guards. */
export function usedRequirements(model: ApiModel): UsedRequirement[] {
  const byKey = new Map<string, { schemeName: string; scheme?: SecurityScheme; node: SpecNode; scopes: { scope: string; node: SpecNode }[]; operations: Operation[]; level: 'root' | 'operation' }>();
  const add = (schemeName: string, node: SpecNode, level: 'root' | 'operation', operation?: Operation): void => {
    const key = nodeKey(node);
    let entry = byKey.get(key);
    if (!entry) {
      const scheme = model.securitySchemes.get(schemeName);
      const scopes = itemsOf(node).flatMap((scopeNode) => (typeof scopeNode.value === 'string' ? [{ scope: scopeNode.value, node: scopeNode }] : []));
      entry = { schemeName, ...(scheme ? { scheme } : {}), node, scopes, operations: [], level };
      byKey.set(key, entry);
    }
    if (operation) entry.operations.push(operation);
  };
  for (const alternative of itemsOf(model.rootSecurity)) for (const [name, node] of entriesOf(alternative)) add(name, node, 'root');
  for (const operation of model.operations) {
    for (const alternative of operation.security.alternatives) {
      for (const requirement of alternative.schemes) add(requirement.schemeName, requirement.node, operation.security.source === 'root' ? 'root' : 'operation', operation);
    }
  }
  return [...byKey.values()];
}

export function operationLabel(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** "GET /a", "GET /a and POST /b", "GET /a and 4 other operations". */
export function operationsLabel(operations: readonly Operation[]): string {
  if (operations.length === 0) return 'no operation (every operation overrides it)';
  if (operations.length === 1) return operationLabel(operations[0]!);
  if (operations.length === 2) return `${operationLabel(operations[0]!)} and ${operationLabel(operations[1]!)}`;
  return `${operationLabel(operations[0]!)} and ${operations.length - 1} other operations`;
}

/** Bulk Data export operations (`/$export`, `/Patient/$export`, `/Group/{id}/$export`). */
export function isExportOperation(operation: Operation): boolean {
  return operation.health.fhirOperation === '$export' || /\/\$export\/?$/.test(operation.path);
}
