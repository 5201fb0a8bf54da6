import { defineRule } from '../../server/src/engine/rule';
import { childOf, nodeKey, type SpecNode } from '../../server/src/engine/spec-node';
import { isLiteralCredential, isPlaceholder, isSecretQueryName, looksRandom, SAMPLE_SHAPE, secretNameKind, secretShapeIn } from './secret-patterns';
import { authUrls, callbackUrls, hostOf, linkOperationRefs } from './url-helpers';

/** Members whose string value is a URL the spec publishes (externalDocs, contact, license, examples, `$ref`). */
const URL_KEYS = new Set(['url', 'externalValue', 'termsOfService', '$ref', 'operationRef', 'authorizationUrl', 'tokenUrl', 'refreshUrl', 'openIdConnectUrl']);

/** `download_url`, `callbackUrl`, `href`: URL-valued fields of example data. */
const URLISH_KEY = /(url|uri|href)$/i;

/**
 * Credentials written into URLs: `user:password@host` user-info and secret query parameters
 * (`?api_key=...`, `access_token=`, `sig=`) with a literal value, in server, OAuth, callback, link,
 * externalDocs and other URL fields.
 */
export default defineRule({
  meta: {
    id: 'url-credentials',
    category: 'transport',
    defaultSeverity: 'error',
    description: 'A URL in the spec embeds credentials: user:password@ user-info or a secret query parameter with a literal value.',
    recommended: true,
    formats: ['2.0', '3.0', '3.1'],
    references: { cwe: [798, 522, 598], owaspApi: ['API2:2023', 'API8:2023'], hipaa: ['164.312(d)', '164.312(e)(1)'], gdpr: ['Art. 32(1)(a)'] },
  },
  check({ model, report, visitMembers }) {
    const done = new Set<string>();
    const check = (node: SpecNode, what: string, urls: readonly string[], part: 'key' | 'value' = 'value') => {
      const key = nodeKey(node) + part;
      if (done.has(key)) return;
      done.add(key);
      for (const url of urls) {
        const problem = credentialIn(url);
        if (!problem) continue;
        const host = hostOf(url.replace(/\{[^}]*\}/g, 'x'));
        report({
          node,
          part,
          message: `${what}${host ? ` (host ${host})` : ''} embeds ${problem}: anyone who reads the spec, a log or a browser history gets the credential.`,
        });
        return;
      }
    };

    for (const server of model.servers) {
      if (model.version === '2.0') continue;
      check(server.node, `Server URL`, [server.url, ...server.expandedUrls]);
    }
    if (model.version === '2.0') {
      const host = childOf(model.root, 'host');
      if (typeof host?.value === 'string') check(host, "Swagger 'host'", [`https://${host.value}`]);
    }
    for (const entry of authUrls(model)) check(entry.node, `The ${entry.field} of security scheme '${entry.schemeName}'`, [entry.url]);
    for (const callback of callbackUrls(model)) check(callback.node, `Callback '${callback.name}' URL`, [callback.expression], 'key');
    for (const link of linkOperationRefs(model)) check(link.node, `The operationRef of link '${link.linkName}'`, [link.url]);

    // Every other URL-valued member of every file: externalDocs, contact, license, example externalValue, $ref, and any
    // value that is a URL as a whole (`x-upstream: https://user:pass@...`).
    // Whether a key names a URL, once per key: a large spec has a few thousand distinct keys in 250,000 members.
    const urlKeys = new Map<string, boolean>();
    const isUrlKey = (key: string) => {
      let answer = urlKeys.get(key);
      if (answer === undefined) urlKeys.set(key, (answer = URL_KEYS.has(key) || URLISH_KEY.test(key)));
      return answer;
    };
    visitMembers<{ path: (string | number)[]; value: string }>({
      cacheKey: '',
      only: 'scalars',
      member(_doc, path, key, value, _container, _depth, emit) {
        if (typeof value !== 'string') return false;
        if (!value.includes('://') || !mayHaveCredential(value)) return false;
        // Under a URL-ish key (`url`, `x-upstream-url`), or any value that is a URL as a whole (`x-upstream: https://...`).
        if ((typeof key === 'string' && isUrlKey(key)) || WHOLE_URL.test(value)) emit({ path: [...path], value });
        return false;
      },
      done(urls) {
        for (const { doc, observation } of urls) check({ doc, path: observation.path, value: observation.value }, describeField(observation.path), [observation.value]);
      },
    });
  },
});

/** A value that is one absolute URL (not prose that mentions one). */
const WHOLE_URL = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** Cheap pre-test: user-info or a query string. */
function mayHaveCredential(url: string): boolean {
  return url.includes('@') || url.includes('?');
}

function describeField(path: readonly (string | number)[]): string {
  const key = String(path[path.length - 1]);
  const parent = path[path.length - 2];
  if (key === '$ref') return 'The $ref URL';
  if (parent === 'externalDocs') return 'The externalDocs URL';
  if (parent === 'contact' || parent === 'license') return `The ${parent} URL`;
  if (key === 'externalValue') return 'The example externalValue URL';
  return `The '${key}' URL`;
}

/** What credential a URL carries, described without the secret, or undefined. */
export function credentialIn(url: string): string | undefined {
  // Runtime expressions and template variables are not literal values; blank them out (they may contain `#`, `?`, `@`).
  const text = url.trim().replace(/\{[^{}]*\}/g, '{}');
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(text)?.[1];
  if (authority === undefined) return undefined;
  const at = authority.lastIndexOf('@');
  if (at > 0) {
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    const user = decode(colon === -1 ? userinfo : userinfo.slice(0, colon));
    const password = colon === -1 ? undefined : decode(userinfo.slice(colon + 1));
    if (password !== undefined && password !== '' && !password.includes('{}') && !isPlaceholder(password) && !isPlaceholder(user + password)) return 'a user name and password (user:password@)';
    if (password === undefined && !user.includes('{}') && (isRealShape(user) || (user.length >= 20 && looksRandom(user)))) return 'an access token as the user name (token@)';
  }
  const queryStart = text.indexOf('?');
  if (queryStart === -1) return undefined;
  const query = text.slice(queryStart + 1).replace(/#.*$/, '');
  for (const pair of query.split(/[&;]/)) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = decode(pair.slice(0, equals));
    const value = decode(pair.slice(equals + 1));
    if (!isSecretQueryName(name) || value.includes('{}') || value.length < 6 || isPlaceholder(value)) continue;
    const kind = secretNameKind(name);
    const literal = kind === 'password' ? isLiteralCredential('password', value) : looksRandom(value) || isRealShape(value);
    if (literal) return `a literal value for the secret query parameter '${name}'`;
  }
  return undefined;
}

function isRealShape(text: string): boolean {
  const shape = secretShapeIn(text, true);
  return shape !== undefined && shape !== SAMPLE_SHAPE;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
