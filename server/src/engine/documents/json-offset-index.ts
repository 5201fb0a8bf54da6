import { LineStartsRecorder } from '../source-range';

/**
 * Source offsets for a JSON text that `JSON.parse` accepted, found without a position-keeping parser: ranges are
 * needed only where findings are, so containers are scanned lazily, one at a time, when a path runs through them.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const COMMA = 0x2c;
export const COLON = 0x3a;

/** Offsets of one member of an object or item of an array. */
export interface MemberOffsets {
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
export class JsonOffsetIndex {
  private readonly containers = new Map<number, Map<string, MemberOffsets>>();
  /**
   * The index this one was derived from by one edit, while it is the latest: its containers, already shifted to
   * its text, need only that one edit applied. Cleared when a newer index is derived from this one, so old
   * indexes (and their texts) do not pile up.
   */
  private previous: JsonOffsetIndex | undefined;
  private lineStarts: Int32Array | undefined;

  /**
   * `derivedFrom`: an index of an earlier version of the text with the same structure (edits only inside
   * strings, none containing a line break or a key), and the edits since, oldest first. Its scans are reused
   * through the shifts instead of scanning this text again.
   */
  private constructor(
    private readonly text: string,
    private readonly derivedFrom?: { readonly index: JsonOffsetIndex; readonly shifts: readonly OffsetShift[] },
  ) {}

  static of(text: string): JsonOffsetIndex {
    return new JsonOffsetIndex(text);
  }

  /** How many edits this index is behind its scanned origin (each costs a little per member read). */
  get shiftCount(): number {
    return this.derivedFrom?.shifts.length ?? 0;
  }

  /** The index of `text`, which is this index's text with `shift` applied inside one string (see `derivedFrom`). */
  afterStringEdit(text: string, shift: OffsetShift): JsonOffsetIndex {
    const origin = this.derivedFrom ?? { index: this, shifts: [] };
    const next = new JsonOffsetIndex(text, { index: origin.index, shifts: [...origin.shifts, shift] });
    this.previous = undefined;
    next.previous = this;
    return next;
  }

  /**
   * Like `afterStringEdit`, as a new origin: every container scanned so far is carried over with its offsets
   * shifted, and the chain of shifts ends here. Cheaper than scanning again, and the older text is let go.
   */
  rebasedAfterStringEdit(text: string, shift: OffsetShift): JsonOffsetIndex {
    const origin = this.derivedFrom?.index ?? this;
    const shifts = [...(this.derivedFrom?.shifts ?? []), shift];
    const rebased = new JsonOffsetIndex(text);
    for (const [start, members] of origin.containers) rebased.containers.set(shiftForward(start, shifts), shiftedMembers(members, shifts));
    return rebased;
  }

  rootStart(): number {
    return skipJsonWhitespace(this.text, 0);
  }

  /**
   * The string value whose content (between its quotes) contains the span `from`..`to`, with its path; undefined
   * when the span touches a key, a quote, a number or anything between members.
   */
  stringContaining(from: number, to: number): { path: (string | number)[]; valueStart: number; valueEnd: number } | undefined {
    const path: (string | number)[] = [];
    let containerStart = this.rootStart();
    for (;;) {
      const members = this.membersAt(containerStart);
      if (!members) return undefined;
      const isArray = this.text.charCodeAt(containerStart) === OPEN_BRACKET;
      let inside: [string, MemberOffsets] | undefined;
      for (const entry of members) {
        if (entry[1].valueStart < from && to < entry[1].valueEnd) {
          inside = entry;
          break;
        }
      }
      if (!inside) return undefined;
      const [key, member] = inside;
      path.push(isArray ? Number(key) : key);
      const first = this.text.charCodeAt(member.valueStart);
      if (first === QUOTE) return to <= member.valueEnd - 1 ? { path, valueStart: member.valueStart, valueEnd: member.valueEnd } : undefined;
      if (first !== OPEN_BRACE && first !== OPEN_BRACKET) return undefined;
      containerStart = member.valueStart;
    }
  }

  /** Members of the container whose value starts at `start`, or undefined when it is not an object/array. */
  membersAt(start: number): Map<string, MemberOffsets> | undefined {
    const cached = this.containers.get(start);
    if (cached) return cached;
    const open = this.text.charCodeAt(start);
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) return undefined;
    if (this.derivedFrom) return this.shiftedMembersAt(start, this.derivedFrom.index, this.derivedFrom.shifts);
    if (start === this.rootStart()) {
      // The root's scan passes every character outside strings, hence every line break: it notes them on the way.
      const lines = new LineStartsRecorder(this.text, start);
      lines.finish(this.scanContainer(start, ROOT_LOOKAHEAD_LEVELS, lines));
      this.lineStarts = lines.starts();
    } else this.scanContainer(start, 0);
    return this.containers.get(start);
  }

  /** The text's line starts, when the root has been scanned (they are noted on the way); else undefined. */
  lineStartsIfScanned(): Int32Array | undefined {
    return this.lineStarts;
  }

  private shiftedMembersAt(start: number, origin: JsonOffsetIndex, shifts: readonly OffsetShift[]): Map<string, MemberOffsets> | undefined {
    const lastShift = shifts[shifts.length - 1]!;
    const shiftedBefore = this.previous?.containers.get(lastShift.back(start));
    if (shiftedBefore) {
      const members = shiftedMembers(shiftedBefore, [lastShift]);
      this.containers.set(start, members);
      return members;
    }
    let originStart = start;
    for (let index = shifts.length - 1; index >= 0; index--) originStart = shifts[index]!.back(originStart);
    const originMembers = origin.membersAt(originStart);
    if (!originMembers) return undefined;
    const members = shiftedMembers(originMembers, shifts);
    this.containers.set(start, members);
    return members;
  }

  /**
   * Indexes the container at `start` and, `lookahead` levels down, the containers inside it: walking past a
   * nested value costs the same whether it is skipped or indexed, so indexing the next levels now saves
   * re-reading them when a path goes deeper (`/paths/{p}/get` after `/paths`). Returns the end offset.
   */
  private scanContainer(start: number, lookahead: number, lines?: LineStartsRecorder): number {
    const text = this.text;
    const isObject = text.charCodeAt(start) === OPEN_BRACE;
    const members = new Map<string, MemberOffsets>();
    const close = isObject ? CLOSE_BRACE : CLOSE_BRACKET;
    let pos = skipJsonWhitespace(text, start + 1, lines);
    if (text.charCodeAt(pos) === close) {
      this.containers.set(start, members);
      return pos + 1;
    }
    for (let index = 0; ; index++) {
      pos = skipJsonWhitespace(text, pos, lines);
      let keyStart = -1;
      let keyEnd = -1;
      if (isObject) {
        keyStart = pos;
        keyEnd = skipJsonString(text, pos);
        pos = skipJsonWhitespace(text, keyEnd, lines);
        pos = skipJsonWhitespace(text, pos + 1, lines); // past ':'
      }
      const valueStart = pos;
      const first = text.charCodeAt(valueStart);
      const valueEnd =
        lookahead > 0 && (first === OPEN_BRACE || first === OPEN_BRACKET) && !this.containers.has(valueStart)
          ? this.scanContainer(valueStart, lookahead - 1, lines)
          : skipJsonValue(text, valueStart, lines);
      let key = String(index);
      if (isObject) {
        const raw = text.slice(keyStart + 1, keyEnd - 1);
        key = raw.includes('\\') ? (JSON.parse(text.slice(keyStart, keyEnd)) as string) : raw;
      }
      members.set(key, { keyStart, keyEnd, valueStart, valueEnd });
      pos = skipJsonWhitespace(text, valueEnd, lines);
      if (text.charCodeAt(pos) !== COMMA) {
        this.containers.set(start, members);
        return pos + 1;
      }
      pos++;
    }
  }
}

/**
 * One edit inside a string, from one version of a text to the next: offsets at or after `end` (in the older
 * version) move by `delta`. Member boundaries never fall inside the edited span.
 */
export class OffsetShift {
  constructor(private readonly end: number, private readonly delta: number) {}

  forward(offset: number): number {
    return offset >= this.end ? offset + this.delta : offset;
  }

  back(offset: number): number {
    return offset >= this.end + this.delta ? offset - this.delta : offset;
  }
}

function shiftForward(offset: number, shifts: readonly OffsetShift[]): number {
  for (const shift of shifts) offset = shift.forward(offset);
  return offset;
}

/** A container's members with their offsets moved through `shifts` (array items have no key: -1 stays). */
function shiftedMembers(members: ReadonlyMap<string, MemberOffsets>, shifts: readonly OffsetShift[]): Map<string, MemberOffsets> {
  const moved = new Map<string, MemberOffsets>();
  for (const [key, member] of members) {
    moved.set(key, {
      keyStart: member.keyStart < 0 ? member.keyStart : shiftForward(member.keyStart, shifts),
      keyEnd: member.keyEnd < 0 ? member.keyEnd : shiftForward(member.keyEnd, shifts),
      valueStart: shiftForward(member.valueStart, shifts),
      valueEnd: shiftForward(member.valueEnd, shifts),
    });
  }
  return moved;
}

/**
 * How many levels below the root are indexed in the first pass (see `scanContainer`): down to operations
 * (`/paths/{p}/{method}`) and components (`/components/{kind}/{name}`), where most findings and fixes are, so
 * they need no second pass over their text. Containers below are scanned when a path runs through them, without
 * lookahead: indexing their subtrees ahead allocated tens of thousands of entries on GitHub's description that
 * no finding used, for the same characters read.
 */
const ROOT_LOOKAHEAD_LEVELS = 3;

export function skipJsonWhitespace(text: string, pos: number, lines?: LineStartsRecorder): number {
  for (;;) {
    const code = text.charCodeAt(pos);
    if (code === 0x20 || code === 0x0d || code === 0x09) pos++;
    else if (code === 0x0a) {
      pos++;
      lines?.add(pos);
    } else return pos;
  }
}

/** Offset just past the string starting at `pos` (a quote). */
export function skipJsonString(text: string, pos: number): number {
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
export function skipJsonValue(text: string, pos: number, lines?: LineStartsRecorder): number {
  const first = text.charCodeAt(pos);
  if (first === QUOTE) return skipJsonString(text, pos);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let index = pos; index < text.length; index++) {
      const code = text.charCodeAt(index);
      // Line breaks, indentation and quotes are all below '{': one comparison lets everything else out first.
      if (code <= QUOTE) {
        if (code === QUOTE) index = skipJsonString(text, index) - 1;
        else if (code === 0x0a) {
          lines?.add(index + 1);
          // The next line's indentation, in a loop of its own: most characters outside strings are these spaces.
          while (text.charCodeAt(index + 1) === 0x20) index++;
        }
      } else if (code === OPEN_BRACE || code === OPEN_BRACKET) depth++;
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

