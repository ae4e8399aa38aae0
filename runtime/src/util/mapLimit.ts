/**
 * `Promise.all(items.map(fn))` with at most `limit` calls in flight, results in input order.
 * For many small file operations (a resume reads and copies ~4 files per cloned task): they
 * overlap in libuv's thread pool instead of queuing behind one another.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
