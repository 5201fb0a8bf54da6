import type { ApiModel, Operation, SecurityScheme } from '../../server/src/engine/model/api-model';
import { closestName } from '../../server/src/engine/did-you-mean';
import type { EditSpec } from '../../server/src/engine/rule';
import { childOf, entriesOf, itemsOf, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';
import { removeArrayItemEdit } from './edit-helpers';

/** `GET /patients/{id}`. */
export function operationLabel(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}

/** Where schemes are declared, as the spec author would write it. */
export function schemeContainerName(model: ApiModel): string {
  return model.version === '2.0' ? 'securityDefinitions' : 'components.securitySchemes';
}

/**
 * Every name declared as a scheme, including declarations the model skipped because they are not objects
 * (a broken `$ref` is `ref-unresolved`'s finding, not an undefined scheme).
 */
export function declaredSchemeNames(model: ApiModel): Set<string> {
  const names = new Set(model.securitySchemes.keys());
  const container =
    model.version === '2.0' ? childOf(model.root, 'securityDefinitions') : childOf(model.specs.deref(childOf(model.root, 'components')), 'securitySchemes');
  for (const [name] of entriesOf(model.specs.deref(container))) names.add(name);
  return names;
}

/** Operations whose effective security names the scheme in some alternative. */
export function operationsUsingScheme(model: ApiModel, schemeName: string): Operation[] {
  return model.operations.filter((operation) => operation.security.alternatives.some((alternative) => alternative.schemes.some((scheme) => scheme.schemeName === schemeName)));
}

/** The PHI-carrying operations among `operations`, with their reason, for severity and messages. */
export function phiOperations(operations: readonly Operation[]): { operation: Operation; reason: string }[] {
  return operations.flatMap((operation) => {
    const evidence = operation.phiEvidence();
    return evidence.carriesPhi ? [{ operation, reason: evidence.reason ?? 'marked as PHI' }] : [];
  });
}

/** "GET /a (reason)", "GET /a (reason) and 3 more PHI operations". */
export function describePhiOperations(phi: readonly { operation: Operation; reason: string }[]): string {
  const [first] = phi;
  if (!first) return '';
  const head = `${operationLabel(first.operation)} (${first.reason})`;
  return phi.length === 1 ? head : `${head} and ${phi.length - 1} more PHI operation${phi.length === 2 ? '' : 's'}`;
}

/** One security requirement object as written: at the root or in an operation's own `security`. */
export interface RequirementSite {
  /** `root security` or `security of GET /x`. */
  readonly where: string;
  readonly requirement: SpecNode;
  readonly entries: [string, SpecNode][];
}

/** Every requirement object written in the spec (root `security` and each operation's own `security`), each once. */
export function requirementSites(model: ApiModel): RequirementSite[] {
  const seen = new Set<string>();
  const sites: RequirementSite[] = [];
  const add = (security: SpecNode | undefined, where: string) => {
    if (!security || seen.has(nodeKey(security))) return;
    seen.add(nodeKey(security));
    for (const requirement of itemsOf(security)) sites.push({ where, requirement, entries: entriesOf(requirement) });
  };
  add(model.rootSecurity, 'root security');
  for (const operation of model.operations) add(childOf(operation.node, 'security'), `security of ${operationLabel(operation)}`);
  return sites;
}

/** Closest declared scheme name (case-insensitive or one/two edits away), for a "did you mean" hint. */
export function closestSchemeName(name: string, schemes: ReadonlyMap<string, SecurityScheme>): string | undefined {
  return closestName(name, schemes.keys(), Math.min(2, Math.floor(name.length / 3)));
}

/** An edit that deletes one `{}` item of a `security` array, or undefined when that cannot be done reliably (see `removeArrayItemEdit`). */
export function removeSecurityItemEdit(item: SpecNode, array: SpecNode): EditSpec | undefined {
  return removeArrayItemEdit(item, array, /^\{\s*\}$/);
}
