/** Zero-based line and UTF-16 column, as LSP and SARIF (after +1) expect. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

/** A span of source text, kept both as offsets and as line/column. */
export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
  readonly startOffset: number;
  readonly endOffset: number;
}

/** Maps offsets to line/column; line starts are computed on first use, since most files need no position at all. */
export class LineIndex {
  /** Offsets where lines start; typed, so a 13 MB file's half a million of them copy and shift cheaply. */
  private lineStarts: Int32Array | undefined;
  /** The line of the last `positionAt`. */
  private lastLine = 0;

  /** `known`: line starts found elsewhere, if they have been by the time they are needed (see `JsonOffsetIndex`). */
  constructor(
    private readonly text: string,
    private readonly known?: () => Int32Array | undefined,
  ) {}

  positionAt(offset: number): Position {
    const starts = this.starts();
    // Lookups come in runs on the same line or the next (a finding's start and end, a fix beside it).
    const hint = this.lastLine;
    if (hint < starts.length && starts[hint]! <= offset) {
      if (hint + 1 === starts.length || offset < starts[hint + 1]!) return { line: hint, character: offset - starts[hint]! };
      if (hint + 2 === starts.length || offset < starts[hint + 2]!) return { line: (this.lastLine = hint + 1), character: offset - starts[hint + 1]! };
    }
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    this.lastLine = low;
    return { line: low, character: offset - starts[low]! };
  }

  offsetAt(position: Position): number {
    const starts = this.starts();
    const line = Math.min(Math.max(position.line, 0), starts.length - 1);
    return Math.min(starts[line]! + position.character, this.text.length);
  }

  rangeOf(startOffset: number, endOffset: number): SourceRange {
    return { start: this.positionAt(startOffset), end: this.positionAt(endOffset), startOffset, endOffset };
  }

  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line] ?? this.text.length;
    const next = starts[line + 1] ?? this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$/, '');
  }

  get lineCount(): number {
    return this.starts().length;
  }

  /**
   * The index of `text`: this index's text after an edit at `start` that neither adds nor removes a line break
   * and changes the length by `delta`. Line starts already computed are shifted instead of searched for again.
   */
  afterEditWithinLine(text: string, start: number, delta: number): LineIndex {
    const next = new LineIndex(text);
    const known = this.lineStarts ?? this.known?.();
    if (known) {
      const starts = known.slice();
      // Line starts are sorted: those after the edit are the ones past the first start beyond it.
      let low = 0;
      let high = starts.length;
      while (low < high) {
        const mid = (low + high) >> 1;
        if (starts[mid]! > start) high = mid;
        else low = mid + 1;
      }
      for (let index = low; index < starts.length; index++) starts[index] += delta;
      next.lineStarts = starts;
    }
    return next;
  }

  private starts(): Int32Array {
    this.lineStarts ??= this.known?.() ?? new LineStartsRecorder(this.text, this.text.length).starts();
    return this.lineStarts;
  }
}

/**
 * Line starts in a growing typed array. `LineIndex` searches the whole text for them; the JSON offset index's
 * root scan notes them on its way instead, since it passes every character outside strings in order (JSON
 * strings hold no raw line breaks) and needs no separate search.
 */
export class LineStartsRecorder {
  private list: Int32Array;
  private count = 0;

  /** `from`: where the scan starts; the line breaks before it are found here. */
  constructor(
    private readonly text: string,
    from: number,
  ) {
    // Written twice on purpose. V8 takes a field written only once for a constant and builds optimised code on
    // that; the first growth below then throws away the optimised scan that called `add` (and everything it was
    // inlined into), which on a 13 MB file happened at each of its doublings.
    this.list = new Int32Array(0);
    this.list = new Int32Array(4096);
    this.add(0);
    for (let index = text.indexOf('\n'); index !== -1 && index < from; index = text.indexOf('\n', index + 1)) this.add(index + 1);
  }

  add(offset: number): void {
    if (this.count === this.list.length) {
      const larger = new Int32Array(this.count * 2);
      larger.set(this.list);
      this.list = larger;
    }
    this.list[this.count++] = offset;
  }

  /** `to`: where the scan ended; the line breaks after it are found here. */
  finish(to: number): void {
    for (let index = this.text.indexOf('\n', to); index !== -1; index = this.text.indexOf('\n', index + 1)) this.add(index + 1);
  }

  starts(): Int32Array {
    return this.list.slice(0, this.count);
  }
}

/** The line break a text uses, judged by its first one: `\r\n` (Windows) or `\n`. New lines written into it use the same. */
export function lineBreakOf(text: string): '\r\n' | '\n' {
  const firstBreak = text.indexOf('\n');
  return firstBreak > 0 && text.charCodeAt(firstBreak - 1) === 0x0d ? '\r\n' : '\n';
}
