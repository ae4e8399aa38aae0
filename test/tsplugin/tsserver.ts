/**
 * A real TypeScript server (the repository's typescript/lib/tsserver.js) over stdio, started the
 * way VS Code starts it for an extension's plugin: `--globalPlugins <name> --pluginProbeLocations
 * <extension folder>`. Requests are JSON lines in; answers come back with Content-Length headers.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';

interface Message {
  type: 'response' | 'event';
  request_seq?: number;
  success?: boolean;
  message?: string;
  body?: unknown;
  event?: string;
}

export class TsServer {
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private stderr = '';

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => this.receive(d));
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`tsserver exited (${code}): ${this.stderr}`));
      this.pending.clear();
    });
  }

  static start(repoRoot: string, opts: { plugin?: string; logFile?: string } = {}): TsServer {
    const args = [join(repoRoot, 'node_modules', 'typescript', 'lib', 'tsserver.js'), '--disableAutomaticTypingAcquisition'];
    if (opts.plugin) args.push('--globalPlugins', opts.plugin, '--pluginProbeLocations', repoRoot);
    if (opts.logFile) args.push('--logVerbosity', 'verbose', '--logFile', opts.logFile);
    return new TsServer(spawn(process.execPath, args, { stdio: 'pipe' }));
  }

  private receive(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const head = this.buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const m = /Content-Length: (\d+)/.exec(this.buffer.subarray(0, head).toString());
      if (!m) throw new Error(`tsserver sent an unexpected header: ${this.buffer.subarray(0, head).toString()}`);
      const end = head + 4 + Number(m[1]);
      if (this.buffer.length < end) return;
      const msg = JSON.parse(this.buffer.subarray(head + 4, end).toString()) as Message;
      this.buffer = this.buffer.subarray(end);
      if (msg.type === 'response' && msg.request_seq !== undefined) {
        const p = this.pending.get(msg.request_seq);
        this.pending.delete(msg.request_seq);
        p?.resolve(msg);
      }
    }
  }

  /** A request with an answer; rejects when the server reports failure. */
  async request<T>(command: string, args: unknown): Promise<T> {
    const seq = ++this.seq;
    const answer = new Promise<Message>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.child.stdin.write(JSON.stringify({ seq, type: 'request', command, arguments: args }) + '\n');
    const msg = await answer;
    if (!msg.success) throw new Error(`tsserver ${command} failed: ${msg.message}`);
    return msg.body as T;
  }

  /** A request the server does not answer (open, configure…). */
  notify(command: string, args: unknown): void {
    this.child.stdin.write(JSON.stringify({ seq: ++this.seq, type: 'request', command, arguments: args }) + '\n');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.notify('exit', {});
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
