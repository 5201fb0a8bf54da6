import type { JsonPath } from '../json-pointer';
import { LineIndex } from '../source-range';
import { CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, JsonOffsetIndex, OPEN_BRACE, OPEN_BRACKET, QUOTE, skipJsonString, skipJsonWhitespace, type MemberOffsets } from './json-offset-index';
import type { LocateRequest, Located, ParseResult, SourceDocument } from './source-document';

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/**
 * A strict JSON syntax checker, used only after `JSON.parse` has failed, to find the place of the first
 * error without quoting the file (the native message can contain content, i.e. PHI).
 */
class JsonSyntaxChecker {
  private pos = 0;

  constructor(private readonly text: string) {}

  check(): void {
    this.skipWhitespace();
    this.value();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Unexpected content after the JSON value');
  }

  private value(): void {
    const code = this.text.charCodeAt(this.pos);
    if (code === OPEN_BRACE) this.object();
    else if (code === OPEN_BRACKET) this.array();
    else if (code === QUOTE) this.string();
    else this.literal();
  }

  private object(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== QUOTE) this.fail('Expected a double-quoted property name');
      this.string();
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== COLON) this.fail("Expected ':' after a property name");
      this.pos++;
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos++;
      if (next === CLOSE_BRACE) return;
      if (next !== COMMA) this.fail("Expected ',' or '}' after a property value", this.pos - 1);
    }
  }

  private array(): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipWhitespace();
      this.value();
      this.skipWhitespace();
      const next = this.text.charCodeAt(this.pos);
      this.pos++;
      if (next === CLOSE_BRACKET) return;
      if (next !== COMMA) this.fail("Expected ',' or ']' after an array element", this.pos - 1);
    }
  }

  private string(): void {
    const end = skipJsonString(this.text, this.pos);
    if (end >= this.text.length && this.text.charCodeAt(this.text.length - 1) !== QUOTE) this.fail('Unterminated string');
    const raw = this.text.slice(this.pos, end);
    if (/[\u0000-\u001f]/.test(raw)) this.fail('Control character in a string', this.pos + raw.search(/[\u0000-\u001f]/));
    // JSON allows only these escapes: `\q` or a short `\u12` is an error at its backslash.
    const badEscape = /\\(?:[^"\\/bfnrtu]|u(?![0-9A-Fa-f]{4}))/.exec(raw.replace(/\\\\/g, '  '));
    if (badEscape) this.fail('Invalid escape in a string', this.pos + badEscape.index);
    this.pos = end;
  }

  private literal(): void {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    match.lastIndex = this.pos;
    if (!match.test(this.text)) this.fail('Unexpected token');
    this.pos = match.lastIndex;
  }

  private skipWhitespace(): void {
    this.pos = skipJsonWhitespace(this.text, this.pos);
  }

  private fail(message: string, offset = this.pos): never {
    throw new JsonSyntaxError(Math.min(offset, this.text.length), message);
  }
}

export class JsonSourceDocument implements SourceDocument {
  readonly format = 'json' as const;
  private rootOffsets: MemberOffsets | undefined;

  constructor(
    readonly uri: string,
    readonly text: string,
    readonly value: unknown,
    readonly offsets = JsonOffsetIndex.of(text),
    readonly lines = new LineIndex(text, () => offsets.lineStartsIfScanned()),
  ) {}

  locateAll(requests: readonly LocateRequest[]): Located[] {
    return requests.map((request) => this.locate(request.path, request.part));
  }

  private locate(path: JsonPath, part: LocateRequest['part']): Located {
    // JSON.parse accepted the text, so the root value runs to the last non-space character: no need to skip over it.
    this.rootOffsets ??= { keyStart: -1, keyEnd: -1, valueStart: this.offsets.rootStart(), valueEnd: this.text.trimEnd().length };
    let current = this.rootOffsets;
    let exact = true;
    for (const segment of path) {
      const member = this.offsets.membersAt(current.valueStart)?.get(String(segment));
      if (!member) {
        exact = false;
        break;
      }
      current = member;
    }
    // "Missing X" findings land on the closest ancestor that is written in the file, at its key.
    const useKey = (part === 'key' || !exact) && current.keyStart >= 0;
    if (useKey) return { range: this.lines.rangeOf(current.keyStart, current.keyEnd), exact };
    if (!exact) return { range: this.lines.rangeOf(current.valueStart, Math.min(current.valueStart + 1, this.text.length)), exact };
    return { range: this.lines.rangeOf(current.valueStart, current.valueEnd), exact };
  }
}

/** Parses JSON with the native parser (fast, no positions) and keeps the text for on-demand ranges. */
export function parseJsonDocument(uri: string, text: string): ParseResult {
  try {
    return { document: new JsonSourceDocument(uri, text, JSON.parse(text)) };
  } catch {
    // The native message can quote file content (PHI); re-scan to get a position and our own wording.
    const lines = new LineIndex(text);
    try {
      new JsonSyntaxChecker(text).check();
    } catch (error) {
      if (error instanceof JsonSyntaxError) {
        return { failure: { message: `Invalid JSON: ${error.message}`, range: lines.rangeOf(error.offset, Math.min(error.offset + 1, text.length)) } };
      }
    }
    return { failure: { message: 'Invalid JSON', range: lines.rangeOf(0, 0) } };
  }
}
