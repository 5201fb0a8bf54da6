/**
 * Loads `@apidevtools/json-schema-ref-parser`, which is an ES module: `import()` from CommonJS. Kept in a module of
 * its own, the only one with an `import()`, so that the CLI's code cache can cover everything else (see
 * `cli/code-cache.ts`).
 */
export async function loadRefParser() {
  return import('@apidevtools/json-schema-ref-parser');
}
