import type { JsonPath } from '../json-pointer';
import { LineIndex } from '../source-range';
import type { LocateRequest, Located, ParseResult, SourceDocument } from './source-document';

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/** One requested path segment; children are keyed by object key or array index as a string. */
interface PathTrieNode {
  readonly children: Map<string, PathTrieNode>;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

function newTrieNode(): PathTrieNode {
  return { children: new Map(), keyStart: -1, keyEnd: -1, valueStart: -1, valueEnd: -1 };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * A JSON scanner that records offsets only along the requested paths and skips every other value
 * without building anything: one linear pass, no tree. This is why positions cost nothing on a
 * 13 MB spec with no findings, and one fast scan when there are some.
 */
class TargetedJsonScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  scanDocument(root: PathTrieNode | undefined): void {
    this.skipWhitespace();
    this.scanValue(root);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Unexpected content after the JSON value');
  }

  private scanValue(node: PathTrieNode | undefined): void {
    const start = this.pos;
    const code = this.text.charCodeAt(this.pos);
    if (code === OPEN_BRACE) this.scanObject(node);
    else if (code === OPEN_BRACKET) this.scanArray(node);
    else if (code === QUOTE) this.skipString();
    else this.scanLiteral();
    if (node) {
      node.valueStart = start;
      node.valueEnd = this.pos;
    }
  }

  private scanObject(node: PathTrieNode | undefined): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail('Expected a double-quoted property name');
      const keyStart = this.pos;
      this.skipString();
      const keyEnd = this.pos;
      let child: PathTrieNode | undefined;
      if (node && node.children.size > 0) {
        child = node.children.get(this.decodeKey(keyStart, keyEnd));
        if (child) {
          child.keyStart = keyStart;
          child.keyEnd = keyEnd;
        }
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== COLON) this.fail("Expected ':' after a property name");
      this.pos++;
      this.skipWhitespace();
      this.scanValue(child);
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos++;
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) this.fail("Expected ',' or '}' after a property value", this.pos - 1);
    }
  }

  private scanArray(node: PathTrieNode | undefined): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (let index = 0; ; index++) {
      this.skipWhitespace();
      const child = node && node.children.size > 0 ? node.children.get(String(index)) : undefined;
      this.scanValue(child);
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos++;
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) this.fail("Expected ',' or ']' after an array element", this.pos - 1);
    }
  }

  private skipString(): void {
    const text = this.text;
    let index = this.pos + 1;
    for (;;) {
      const quote = text.indexOf('"', index);
      if (quote === -1) this.fail('Unterminated string');
      let backslashes = 0;
      for (let back = quote - 1; text.charCodeAt(back) === BACKSLASH; back--) backslashes++;
      index = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    this.pos = index;
  }

  private scanLiteral(): void {
    const match = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    match.lastIndex = this.pos;
    if (!match.test(this.text)) this.fail('Unexpected token');
    this.pos = match.lastIndex;
  }

  private decodeKey(start: number, end: number): string {
    const raw = this.text.slice(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : raw;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private fail(message: string, offset = this.pos): never {
    throw new JsonSyntaxError(Math.min(offset, this.text.length), message);
  }
}

class JsonSourceDocument implements SourceDocument {
  readonly format = 'json' as const;
  readonly lines: LineIndex;

  constructor(readonly uri: string, readonly text: string, readonly value: unknown) {
    this.lines = new LineIndex(text);
  }

  locateAll(requests: readonly LocateRequest[]): Located[] {
    const root = newTrieNode();
    const leaves = requests.map((request) => {
      let node = root;
      for (const segment of request.path) {
        const key = String(segment);
        let child = node.children.get(key);
        if (!child) {
          child = newTrieNode();
          node.children.set(key, child);
        }
        node = child;
      }
      return node;
    });
    new TargetedJsonScanner(this.text).scanDocument(root);
    return requests.map((request, index) => {
      const leaf = leaves[index]!;
      if (leaf.valueStart >= 0) {
        const useKey = request.part === 'key' && leaf.keyStart >= 0;
        return {
          range: useKey ? this.lines.rangeOf(leaf.keyStart, leaf.keyEnd) : this.lines.rangeOf(leaf.valueStart, leaf.valueEnd),
          exact: true,
        };
      }
      return { range: this.closestExisting(root, request.path), exact: false };
    });
  }

  /** "Missing X" findings land on the closest ancestor that is written in the file, at its key. */
  private closestExisting(root: PathTrieNode, path: JsonPath) {
    let best = root;
    let node: PathTrieNode | undefined = root;
    for (const segment of path) {
      node = node.children.get(String(segment));
      if (!node || node.valueStart < 0) break;
      best = node;
    }
    if (best.keyStart >= 0) return this.lines.rangeOf(best.keyStart, best.keyEnd);
    const start = Math.max(best.valueStart, 0);
    return this.lines.rangeOf(start, Math.min(start + 1, this.text.length));
  }
}

/** Parses JSON with the native parser (fast, no positions) and keeps the text for on-demand ranges. */
export function parseJsonDocument(uri: string, text: string): ParseResult {
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  try {
    return { document: new JsonSourceDocument(uri, body, JSON.parse(body)) };
  } catch {
    // The native message can quote file content (PHI); re-scan to get a position and our own wording.
    const lines = new LineIndex(body);
    try {
      new TargetedJsonScanner(body).scanDocument(undefined);
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        return { failure: { message: `Invalid JSON: ${error.message}`, range: lines.rangeOf(error.offset, Math.min(error.offset + 1, body.length)) } };
      }
    }
    return { failure: { message: 'Invalid JSON', range: lines.rangeOf(0, 0) } };
  }
}
