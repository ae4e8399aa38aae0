/**
 * The kernel's stdout and stderr, as protocol messages: `console.log` in a cell arrives at the
 * client as it happens, in order with the cell's other outputs (one channel carries both), and
 * tagged with the execution it belongs to. Writes are batched — at most every 50 ms, or 64 KiB —
 * so a loop that prints 100,000 lines does not send 100,000 messages; a busy loop still flushes,
 * because the check runs on every write, not on a timer only.
 */
import type { KernelMessage } from '../protocol';

type Name = 'stdout' | 'stderr';

const FLUSH_MS = 50;
const FLUSH_BYTES = 64 * 1024;

export class StreamCapture {
  private pending: Array<{ id: number | null; name: Name; text: string }> = [];
  private bytes = 0;
  /** When stream text was last sent (not when a flush found nothing to send). */
  private lastFlush = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly send: (m: KernelMessage) => void,
    private readonly currentId: () => number | null,
  ) {}

  install(): void {
    this.patch(process.stdout, 'stdout');
    this.patch(process.stderr, 'stderr');
  }

  private patch(stream: NodeJS.WriteStream, name: Name): void {
    stream.write = ((chunk: unknown, encoding?: unknown, cb?: unknown) => {
      const done = typeof encoding === 'function' ? encoding : cb;
      const text =
        typeof chunk === 'string'
          ? chunk
          : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      this.write(name, text);
      if (typeof done === 'function') process.nextTick(done as () => void);
      return true;
    }) as typeof stream.write;
  }

  write(name: Name, text: string): void {
    if (!text) return;
    const id = this.currentId();
    // The first write after a quiet spell goes out at once: a cell that prints and then computes
    // for a long time shows its line while it computes.
    const quiet = this.pending.length === 0 && Date.now() - this.lastFlush >= FLUSH_MS;
    const last = this.pending[this.pending.length - 1];
    if (last && last.id === id && last.name === name) last.text += text;
    else this.pending.push({ id, name, text });
    this.bytes += text.length;
    if (quiet || this.bytes >= FLUSH_BYTES || Date.now() - this.lastFlush >= FLUSH_MS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Sends what is buffered; called before every other message so the order holds. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length) this.lastFlush = Date.now();
    const out = this.pending;
    this.pending = [];
    this.bytes = 0;
    for (const p of out) this.send({ type: 'stream', id: p.id, name: p.name, text: p.text });
  }
}
