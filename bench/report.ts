/** Shared shape of benchmark figures and how they are summarised. */

export interface BenchFigure {
  /** Which issue / area the figure belongs to, e.g. `graph`, `runtime`, `server`. */
  group: string;
  name: string;
  value: number;
  unit: 'ms' | 's' | 'MB' | 'count' | 'MB/s' | 'ratio';
  /** The target as written in the issue, e.g. `≤ 5 ms median`. */
  target?: string;
  /** Whether the figure meets its target; undefined when there is none. */
  ok?: boolean;
  note?: string;
}

export interface BenchSuite {
  group: string;
  run(): Promise<BenchFigure[]>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Runs `fn` `warmup` times unmeasured, then `times` times; returns each duration in ms. */
export async function timeMany(times: number, fn: () => unknown, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
