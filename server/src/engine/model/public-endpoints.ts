import { isPlainObject } from '../spec-node';

/**
 * Endpoints that are public by design in health APIs: liveness probes, discovery documents
 * (FHIR `/metadata`, SMART and OpenID configuration, JWKS) and the OAuth endpoints a client
 * calls before it has a token. Matched against the end of the path, so `/fhir/r4/metadata` counts.
 */
export const DEFAULT_PUBLIC_ENDPOINTS: readonly string[] = [
  '/health', '/healthz', '/health/*', '/healthcheck', '/ready', '/readyz', '/live', '/livez', '/liveness', '/readiness', '/ping', '/status', '/version',
  '/metadata', '/.well-known/*', '/jwks', '/jwks.json', '/certs',
  '/token', '/oauth/token', '/oauth2/token', '/auth/token', '/connect/token', '/authorize', '/oauth/authorize', '/oauth2/authorize', '/auth/authorize',
  '/openapi.json', '/openapi.yaml', '/swagger.json', '/docs',
];

function patternToRegex(pattern: string): RegExp {
  const trimmed = pattern.replace(/\/+$/, '');
  const body = trimmed
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^]*');
  // Leading `/` anchors at a segment boundary anywhere in the path; the end is always anchored.
  return new RegExp((trimmed.startsWith('/') ? '(^|/)' + body.slice(1) : '(^|/)' + body) + '/?$', 'i');
}

const defaultRegexes = DEFAULT_PUBLIC_ENDPOINTS.map(patternToRegex);

/** True for a public-by-design endpoint, or one the spec marks `x-public: true` / `x-healthlint-public: true`. */
export function isPublicByDesign(path: string, operation: unknown, extra: readonly string[] = []): boolean {
  if (isPlainObject(operation) && (operation['x-public'] === true || operation['x-healthlint-public'] === true)) return true;
  const clean = path.replace(/\?.*$/, '');
  // `/patients/{id}/status` is not a probe: defaults apply only to paths without templated segments.
  if (clean.includes('{')) return extra.some((pattern) => patternToRegex(pattern).test(clean));
  return defaultRegexes.some((regex) => regex.test(clean)) || extra.some((pattern) => patternToRegex(pattern).test(clean));
}
