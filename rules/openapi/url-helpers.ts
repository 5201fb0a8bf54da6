import type { ApiModel, Operation } from '../../server/src/engine/model/api-model';
import { HTTP_METHODS } from '../../server/src/engine/model/api-model';
import { childOf, entriesOf, isPlainObject, nodeKey, stringValue, type SpecNode } from '../../server/src/engine/spec-node';

/** `http` or `ws` when the URL is unencrypted, else undefined. */
export function plaintextScheme(url: string): 'http' | 'ws' | undefined {
  const match = /^\s*(https?|wss?):\/\//i.exec(url) ?? /^\s*(http|ws)\s*$/i.exec(url);
  const scheme = match?.[1]?.toLowerCase();
  return scheme === 'http' || scheme === 'ws' ? scheme : undefined;
}

/** The host part of an absolute URL, lower-cased, without credentials or port. */
export function hostOf(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim());
  return match?.[1]?.toLowerCase();
}

/** Loopback and local development hosts, where plain HTTP never crosses a network. */
export function isLoopbackUrl(url: string): boolean {
  const host = hostOf(url);
  if (host === undefined) return false;
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === '0.0.0.0' || host === '';
}

// --- shared by oauth-url-plaintext, callback-url-plaintext, url-credentials -----------------------


/** The scheme text as written (`http`, `HTTP`) when the URL is a literal plain-HTTP URL, else undefined. */
export function writtenHttpScheme(url: string): string | undefined {
  return /^\s*(http):\/\//i.exec(url)?.[1];
}

/** True for an absolute `http://` URL on a host that is not loopback (a templated host counts as remote). */
export function isRemotePlainHttp(url: string): boolean {
  return writtenHttpScheme(url) !== undefined && !isLoopbackUrl(url);
}

/** Every OAuth flow URL and OpenID Connect discovery URL of the spec's security schemes, once each. */
export interface AuthUrl {
  readonly schemeName: string;
  /** `authorizationUrl`, `tokenUrl`, `refreshUrl` or `openIdConnectUrl`. */
  readonly field: string;
  /** The flow kind (`authorizationCode`...), absent for OpenID Connect. */
  readonly flow?: string;
  readonly node: SpecNode;
  readonly url: string;
}

export function authUrls(model: ApiModel): AuthUrl[] {
  const seen = new Set<string>();
  const result: AuthUrl[] = [];
  const add = (entry: AuthUrl) => {
    const key = nodeKey(entry.node);
    if (seen.has(key)) return;
    seen.add(key);
    result.push(entry);
  };
  for (const scheme of model.securitySchemes.values()) {
    for (const flow of scheme.flows) {
      for (const node of flow.urls) {
        const url = stringValue(node);
        if (url !== undefined) add({ schemeName: scheme.name, field: String(node.path[node.path.length - 1]), flow: flow.kind, node, url });
      }
    }
    const oidc = stringValue(scheme.openIdConnectUrl);
    if (scheme.openIdConnectUrl && oidc !== undefined) add({ schemeName: scheme.name, field: 'openIdConnectUrl', node: scheme.openIdConnectUrl, url: oidc });
  }
  return result;
}

/** One callback URL expression (the key under a callback object) and the path item it names. */
export interface CallbackUrl {
  /** The callback's name (`onStatusChange`). */
  readonly name: string;
  /** The runtime expression / URL written as the key. */
  readonly expression: string;
  /** The member under the callback object; report with `part: 'key'` to point at the URL. */
  readonly node: SpecNode;
  /** The path item, `$ref` followed. */
  readonly pathItem: SpecNode | undefined;
  /** The operation declaring the callback; absent for an unreferenced `components.callbacks` entry. */
  readonly owner?: Operation;
}

/** Callbacks of every operation (`$ref`s followed) plus unreferenced `components.callbacks`, each URL key once. */
export function callbackUrls(model: ApiModel): CallbackUrl[] {
  if (model.version === '2.0') return [];
  const seen = new Set<string>();
  const result: CallbackUrl[] = [];
  const collect = (name: string, callbackRef: SpecNode | undefined, owner: Operation | undefined) => {
    const callback = model.specs.deref(callbackRef);
    if (!callback || !isPlainObject(callback.value)) return;
    for (const [expression, node] of entriesOf(callback)) {
      if (expression.startsWith('x-') || expression === '$ref') continue;
      const key = nodeKey(node);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push({ name, expression, node, pathItem: model.specs.deref(node), ...(owner ? { owner } : {}) });
    }
  };
  for (const operation of model.operations) {
    for (const [name, callbackRef] of entriesOf(model.specs.deref(childOf(operation.node, 'callbacks')))) collect(name, callbackRef, operation);
  }
  const components = model.specs.deref(childOf(model.root, 'components'));
  for (const [name, callbackRef] of entriesOf(model.specs.deref(childOf(components, 'callbacks')))) collect(name, callbackRef, undefined);
  return result;
}

/** The operations of a callback path item. */
export function callbackOperations(model: ApiModel, pathItem: SpecNode | undefined): { method: string; node: SpecNode }[] {
  if (!pathItem || !isPlainObject(pathItem.value)) return [];
  return HTTP_METHODS.flatMap((method) => {
    const node = model.specs.deref(childOf(pathItem, method));
    return node && isPlainObject(node.value) ? [{ method, node }] : [];
  });
}

/** `operationRef` values of Link objects on responses and under `components.links`, once each. */
export function linkOperationRefs(model: ApiModel): { linkName: string; node: SpecNode; url: string; owner?: Operation }[] {
  if (model.version === '2.0') return [];
  const seen = new Set<string>();
  const result: { linkName: string; node: SpecNode; url: string; owner?: Operation }[] = [];
  const collect = (links: SpecNode | undefined, owner: Operation | undefined) => {
    for (const [linkName, linkRef] of entriesOf(model.specs.deref(links))) {
      const node = childOf(model.specs.deref(linkRef), 'operationRef');
      const url = stringValue(node);
      if (!node || url === undefined || seen.has(nodeKey(node))) continue;
      seen.add(nodeKey(node));
      result.push({ linkName, node, url, ...(owner ? { owner } : {}) });
    }
  };
  for (const operation of model.operations) for (const response of operation.responses) collect(childOf(response.node, 'links'), operation);
  const components = model.specs.deref(childOf(model.root, 'components'));
  collect(childOf(components, 'links'), undefined);
  for (const [, response] of entriesOf(childOf(components, 'responses'))) collect(childOf(model.specs.deref(response), 'links'), undefined);
  return result;
}

/** `GET /patients/{id}` */
export function operationLabel(operation: Operation): string {
  return `${operation.method.toUpperCase()} ${operation.path}`;
}
