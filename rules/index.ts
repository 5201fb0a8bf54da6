import type { OpenApiRule } from '../server/src/engine/rule';
import operationAuthMissing from './openapi/operation-auth-missing';
import parseError from './openapi/parse-error';
import refUnresolved from './openapi/ref-unresolved';
import serverPlaintextHttp from './openapi/server-plaintext-http';

/** Every rule, by id. Explicit, so a reader sees the whole set and a typo fails to compile. */
export const allRules: readonly OpenApiRule[] = [
  parseError,
  refUnresolved,
  operationAuthMissing,
  serverPlaintextHttp,
];

export function ruleById(id: string): OpenApiRule | undefined {
  return allRules.find((rule) => rule.meta.id === id);
}
