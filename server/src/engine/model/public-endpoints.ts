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

/** The part of a pattern's regular expression between the segment-boundary anchor and the end anchor. */
function patternBody(pattern: string): string {
  const trimmed = pattern.replace(/\/+$/, '');
  const body = trimmed
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^]*');
  return trimmed.startsWith('/') ? body.slice(1) : body;
}

/** Leading `/` anchors at a segment boundary anywhere in the path; the end is always anchored. */
function patternsToRegex(patterns: readonly string[]): RegExp {
  return new RegExp(`(^|/)(?:${patterns.map(patternBody).join('|')})/?$`, 'i');
}

// One alternation instead of a test per default: every operation of a spec is checked.
const defaultsRegex = patternsToRegex(DEFAULT_PUBLIC_ENDPOINTS);

// The config's patterns, compiled once per configuration (the same array for every operation).
const extrasRegexes = new WeakMap<readonly string[], RegExp>();

function regexOfExtras(extra: readonly string[]): RegExp {
  let regex = extrasRegexes.get(extra);
  if (!regex) extrasRegexes.set(extra, (regex = patternsToRegex(extra)));
  return regex;
}

/** True for a public-by-design endpoint, or one the spec marks `x-public: true` / `x-healthlint-public: true`. */
export function isPublicByDesign(path: string, operation: unknown, extra: readonly string[] = []): boolean {
  if (isPlainObject(operation) && (operation['x-public'] === true || operation['x-healthlint-public'] === true)) return true;
  const clean = path.replace(/\?.*$/, '');
  // `/patients/{id}/status` is not a probe: defaults apply only to paths without templated segments.
  const extraRegex = extra.length === 0 ? undefined : regexOfExtras(extra);
  if (clean.includes('{')) return extraRegex?.test(clean) ?? false;
  return defaultsRegex.test(clean) || (extraRegex?.test(clean) ?? false);
}
