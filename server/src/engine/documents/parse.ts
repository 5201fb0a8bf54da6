import { parseJsonDocument } from './json-document';
import type { ParseResult } from './source-document';
import { parseYamlDocument } from './yaml-document';

/**
 * Parses a file as JSON or YAML. `.json` files and text starting with `{` go to the JSON parser first;
 * anything else is YAML (a superset of JSON).
 */
export function parseSourceText(uri: string, rawText: string): ParseResult {
  const text = withoutByteOrderMark(rawText);
  const firstChar = text.trimStart().charAt(0);
  if (/\.json$/i.test(uri) || firstChar === '{' || firstChar === '[') {
    const json = parseJsonDocument(uri, text);
    if ('document' in json || /\.json$/i.test(uri)) return json;
  }
  return parseYamlDocument(uri, text);
}

/** A byte-order mark is not content: editors hide it and positions (LSP, SARIF) count from after it. */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** True when the root is an OpenAPI or Swagger description: detection by content, never by file name. */
export function isOpenApiRoot(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const root = value as Record<string, unknown>;
  // Unquoted `openapi: 3.0` / `swagger: 2.0` are YAML numbers (3, 2): invalid per the spec, common in practice.
  return /^3(\.\d+)*$/.test(String(root['openapi'] ?? '')) || /^2(\.0)?$/.test(String(root['swagger'] ?? ''));
}

/** A cheap test on raw text, so directories full of unrelated JSON/YAML are not parsed at all. */
export function mayBeOpenApiText(text: string): boolean {
  return /["']?(openapi|swagger)["']?\s*:/.test(text);
}

/** A NUL in the first 8000 characters: the heuristic git and grep use for binary files. */
export function looksBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}
