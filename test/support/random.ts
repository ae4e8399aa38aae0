/**
 * A small seeded PRNG (mulberry32) for chaos and fuzz tests: the same seed gives the same
 * sequence on every machine, so a failure is reproducible from the seed the test prints.
 */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

/** The seed a chaos test uses: CHAOS_SEED when given (to replay a failure), else `fallback`. */
export function chaosSeed(fallback: number): number {
  const s = Number(process.env.CHAOS_SEED);
  return Number.isInteger(s) ? s : fallback;
}
