/** Offsets -> 1-based line/column, with a line-start table built once per file (binary search per lookup). */
export class LineIndex {
  private starts: number[] | undefined;

  constructor(private readonly text: string) {}

  private table(): number[] {
    if (this.starts) return this.starts;
    const starts = [0];
    const t = this.text;
    let i = t.indexOf('\n');
    while (i >= 0) {
      starts.push(i + 1);
      i = t.indexOf('\n', i + 1);
    }
    this.starts = starts;
    return starts;
  }

  position(offset: number): { line: number; column: number } {
    const row = this.row(offset);
    return { line: row + 1, column: offset - this.lineStart(row) + 1 };
  }

  /** 0-based line of an offset (lines end at `\n` only). */
  row(offset: number): number {
    const s = this.table();
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((s[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Offset where a 0-based line starts. */
  lineStart(row: number): number {
    return this.table()[row] as number;
  }
}
