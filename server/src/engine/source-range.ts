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

  /** `known`: line starts found elsewhere, if they have been by the time they are needed (see `JsonOffsetIndex`). */
  constructor(
    private readonly text: string,
    private readonly known?: () => Int32Array | undefined,
  ) {}

  positionAt(offset: number): Position {
    const starts = this.starts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
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
    this.lineStarts ??= this.known?.();
    if (!this.lineStarts) {
      let starts = new Int32Array(1024);
      let count = 1;
      const text = this.text;
      for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
        if (count === starts.length) {
          const larger = new Int32Array(count * 2);
          larger.set(starts);
          starts = larger;
        }
        starts[count++] = index + 1;
      }
      this.lineStarts = starts.slice(0, count);
    }
    return this.lineStarts;
  }
}
