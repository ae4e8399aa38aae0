/**
 * Text edits over one source, applied at once. Both rewriters (a cell into a kernel script, a
 * step body into a cell) keep every line where it was, so positions reported for the result
 * are positions in what the user wrote: `blank` keeps a removed span's line breaks.
 */

interface Edit {
  start: number;
  end: number;
  text: string;
  seq: number;
}

export class Edits {
  private readonly list: Edit[] = [];
  /** Unchanged runs of the source in the result, for mapping positions back. */
  private runs: Array<{ at: number; from: number; length: number }> = [];

  constructor(private readonly source: string) {}

  replace(start: number, end: number, text: string): void {
    this.list.push({ start, end, text, seq: this.list.length });
  }

  insert(at: number, text: string): void {
    this.replace(at, at, text);
  }

  /** Removes a span but keeps its line breaks, so the lines after it do not move. */
  blank(start: number, end: number): void {
    this.replace(start, end, lineBreaks(this.source.slice(start, end)));
  }

  /** Replaces a span with `text` followed by the span's line breaks (for one-line replacements of many lines). */
  replaceKeepingLines(start: number, end: number, text: string): void {
    this.replace(start, end, text + lineBreaks(this.source.slice(start, end)));
  }

  /**
   * The edited text. At one position, insertions come before a replacement, in the order they
   * were made. Overlapping replacements are a bug in the caller.
   */
  apply(): string {
    const sorted = [...this.list].sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.seq - b.seq);
    const out: string[] = [];
    let at = 0;
    let length = 0;
    this.runs = [];
    const keep = (from: number, to: number) => {
      this.runs.push({ at: length, from, length: to - from });
      out.push(this.source.slice(from, to));
      length += to - from;
    };
    for (const e of sorted) {
      if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
      keep(at, e.start);
      out.push(e.text);
      length += e.text.length;
      at = e.end;
    }
    keep(at, this.source.length);
    return out.join('');
  }

  /** The source offset of an offset in the result of `apply()`; inserted text maps to where it was inserted. */
  toSource(offset: number): number {
    let best = this.runs[0];
    for (const r of this.runs) {
      if (r.at > offset) break;
      best = r;
    }
    if (!best) return 0;
    return best.from + Math.min(offset - best.at, best.length);
  }
}

export function lineBreaks(text: string): string {
  return text.replace(/[^\n]/g, '');
}
