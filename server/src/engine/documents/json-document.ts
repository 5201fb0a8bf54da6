import type { JsonPath } from '../json-pointer';
import { LineIndex } from '../source-range';
import type { LocateRequest, Located, ParseResult, SourceDocument } from './source-document';

class JsonSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
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

/** Offsets of one member of an object or item of an array. */
interface MemberOffsets {
  readonly keyStart: number;
  readonly keyEnd: number;
  readonly valueStart: number;
  readonly valueEnd: number;
}

/**
 * Source offsets for a JSON text, built lazily one container at a time: locating `/paths/~1a/get` scans
 * the root object, then `paths`, then `/a`, skipping every member value it does not descend into
 * with a tight bracket-and-string loop. Each container is scanned at most once per document, so many
 * calls (one per finding, or per fix) cost about one pass over the parts of the file they touch.
 */
class JsonOffsetIndex {
  private readonly containers = new Map<number, Map<string, MemberOffsets>>();

  constructor(private readonly text: string) {}

  rootStart(): number {
    return skipJsonWhitespace(this.text, 0);
  }

  /** Members of the container whose value starts at `start`, or undefined when it is not an object/array. */
  membersAt(start: number): Map<string, MemberOffsets> | undefined {
    const cached = this.containers.get(start);
    if (cached) return cached;
    const open = this.text.charCodeAt(start);
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) return undefined;
    this.scanContainer(start, LOOKAHEAD_LEVELS);
    return this.containers.get(start);
  }

  /**
   * Indexes the container at `start` and, `lookahead` levels down, the containers inside it: walking past a
   * nested value costs the same whether it is skipped or indexed, so indexing the next levels now saves
   * re-reading them when a path goes deeper (`/paths/{p}/get` after `/paths`). Returns the end offset.
   */
  private scanContainer(start: number, lookahead: number): number {
    const text = this.text;
    const isObject = text.charCodeAt(start) === OPEN_BRACE;
    const members = new Map<string, MemberOffsets>();
    const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
    let pos = skipJsonWhitespace(text, start + 1);
    if (text.charCodeAt(pos) === close) {
      this.containers.set(start, members);
      return pos + 1;
    }
    for (let index = 0; ; index++) {
      pos = skipJsonWhitespace(text, pos);
      let keyStart = -1;
      let keyEnd = -1;
      if (isObject) {
        keyStart = pos;
        keyEnd = skipJsonString(text, pos);
        pos = skipJsonWhitespace(text, keyEnd);
        pos = skipJsonWhitespace(text, pos + 1); // past ':'
      }
      const valueStart = pos;
      const first = text.charCodeAt(valueStart);
      const valueEnd =
        lookahead > 0 && (first === OPEN_BRACE || first === OPEN_BRACKET) && !this.containers.has(valueStart)
          ? this.scanContainer(valueStart, lookahead - 1)
          : skipJsonValue(text, valueStart);
      let key = String(index);
      if (isObject) {
        const raw = text.slice(keyStart + 1, keyEnd - 1);
        key = raw.includes('\\') ? (JSON.parse(text.slice(keyStart, keyEnd)) as string) : raw;
      }
      members.set(key, { keyStart, keyEnd, valueStart, valueEnd });
      pos = skipJsonWhitespace(text, valueEnd);
      if (text.charCodeAt(pos) !== COMMA) {
        this.containers.set(start, members);
        return pos + 1;
      }
      pos++;
    }
  }
}

/** How many levels below a requested container are indexed in the same pass (see `scanContainer`). */
const LOOKAHEAD_LEVELS = 2;

function skipJsonWhitespace(text: string, pos: number): number {
  for (;;) {
    const code = text.charCodeAt(pos);
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) pos++;
    else return pos;
  }
}

/** Offset just past the string starting at `pos` (a quote). */
function skipJsonString(text: string, pos: number): number {
  let index = pos + 1;
  for (;;) {
    const quote = text.indexOf('"', index);
    if (quote === -1) return text.length;
    let backslashes = 0;
    for (let back = quote - 1; text.charCodeAt(back) === BACKSLASH; back--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    index = quote + 1;
  }
}

/** Offset just past the value starting at `pos`; the text is known to be valid JSON (JSON.parse accepted it). */
function skipJsonValue(text: string, pos: number): number {
  const first = text.charCodeAt(pos);
  if (first === QUOTE) return skipJsonString(text, pos);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let index = pos; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) index = skipJsonString(text, index) - 1;
      else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
      else if ((code === CLOSE_BRACE || code === CLOSE_BRACKET) && --depth === 0) return index + 1;
    }
    return text.length;
  }
  let index = pos;
  for (;;) {
    const code = text.charCodeAt(index);
    if (index >= text.length || code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) return index;
    index++;
  }
}

class JsonSourceDocument implements SourceDocument {
  readonly format = 'json' as const;
  readonly lines: LineIndex;
  private readonly offsets: JsonOffsetIndex;
  private rootOffsets: MemberOffsets | undefined;

  constructor(readonly uri: string, readonly text: string, readonly value: unknown) {
    this.lines = new LineIndex(text);
    this.offsets = new JsonOffsetIndex(text);
  }

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
