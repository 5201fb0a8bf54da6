import type { OpenApiRule } from '../server/src/engine/rule';
import apikeyInQuery from './openapi/apikey-in-query';
import authHttpBasic from './openapi/auth-http-basic';
import callbackUrlPlaintext from './openapi/callback-url-plaintext';
import oauthFlowInsecure from './openapi/oauth-flow-insecure';
import oauthScopesMissing from './openapi/oauth-scopes-missing';
import oauthUrlPlaintext from './openapi/oauth-url-plaintext';
import operationAuthMissing from './openapi/operation-auth-missing';
import operationAuthOptional from './openapi/operation-auth-optional';
import parseError from './openapi/parse-error';
import phiInExample from './openapi/phi-in-example';
import phiInUrl from './openapi/phi-in-url';
import phiResponseUnauthenticated from './openapi/phi-response-unauthenticated';
import rateLimitMissing from './openapi/rate-limit-missing';
import refUnresolved from './openapi/ref-unresolved';
import scopeOverbroad from './openapi/scope-overbroad';
import scopeUndeclared from './openapi/scope-undeclared';
import scopeWriteOnRead from './openapi/scope-write-on-read';
import secretInSpec from './openapi/secret-in-spec';
import securitySchemeUndefined from './openapi/security-scheme-undefined';
import serverPlaintextHttp from './openapi/server-plaintext-http';
import smartScopeMalformed from './openapi/smart-scope-malformed';
import urlCredentials from './openapi/url-credentials';

/** Every rule, by id. Explicit, so a reader sees the whole set and a typo fails to compile. */
export const allRules: readonly OpenApiRule[] = [
  parseError,
  refUnresolved,
  operationAuthMissing,
  operationAuthOptional,
  securitySchemeUndefined,
  authHttpBasic,
  apikeyInQuery,
  oauthFlowInsecure,
  serverPlaintextHttp,
  oauthUrlPlaintext,
  callbackUrlPlaintext,
  urlCredentials,
  scopeOverbroad,
  scopeWriteOnRead,
  scopeUndeclared,
  oauthScopesMissing,
  smartScopeMalformed,
  phiInUrl,
  phiResponseUnauthenticated,
  phiInExample,
  rateLimitMissing,
  secretInSpec,
];

export function ruleById(id: string): OpenApiRule | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
