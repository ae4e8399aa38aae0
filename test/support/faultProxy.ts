/**
 * A fault-injecting HTTP proxy in front of the test S3 server, on loopback only. It fails the
 * first attempt of every Nth distinct request (so the SDK's and the store's retries are what make
 * a run succeed, and a request never fails forever), in one of three ways: a 500 InternalError,
 * a dropped connection before the request reaches the server, or a response body cut off
 * half-way. It can also delay every request (a slow server). It counts what it did, so a test can
 * check that the faults really happened.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Faults {
  /** The first attempt of every Nth distinct request gets a 500 InternalError. */
  error500Every?: number;
  /** The first attempt of every Nth distinct request loses its connection before reaching the server. */
  dropEvery?: number;
  /** The first attempt of every Nth distinct GET gets its response body cut off half-way. */
  cutBodyEvery?: number;
  /** Every request waits this long before it is forwarded. */
  delayMs?: number;
}

export interface FaultCounts {
  requests: number;
  errors500: number;
  dropped: number;
  cutBodies: number;
  delayed: number;
  /** Parts of multipart uploads that reached the proxy. */
  parts: number;
}

export class FaultProxy {
  faults: Faults = {};
  readonly counts: FaultCounts = { requests: 0, errors500: 0, dropped: 0, cutBodies: 0, delayed: 0, parts: 0 };
  private readonly seen = new Set<string>();
  private distinct = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly target: number,
  ) {}

  static async start(targetPort: number): Promise<FaultProxy> {
    const server = createServer();
    const proxy = new FaultProxy(server, targetPort);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void proxy.handle(req, res));
    server.on('connection', (s) => {
      proxy.sockets.add(s);
      s.on('close', () => proxy.sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Which fault (if any) this request's first attempt gets. */
  private pick(req: IncomingMessage): keyof Faults | undefined {
    const key = `${req.method} ${req.url} ${req.headers.range ?? ''}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    const n = ++this.distinct;
    const f = this.faults;
    if (f.error500Every && n % f.error500Every === 0) return 'error500Every';
    if (f.dropEvery && n % f.dropEvery === 0) return 'dropEvery';
    if (f.cutBodyEvery && req.method === 'GET' && n % f.cutBodyEvery === 0) return 'cutBodyEvery';
    return undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counts.requests++;
    if (req.method === 'PUT' && /[?&]partNumber=/.test(req.url ?? '')) this.counts.parts++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    if (this.faults.delayMs) {
      this.counts.delayed++;
      await new Promise((r) => setTimeout(r, this.faults.delayMs));
    }
    const fault = this.pick(req);
    if (fault === 'error500Every') {
      this.counts.errors500++;
      res.writeHead(500, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the test</Message></Error>');
      return;
    }
    if (fault === 'dropEvery') {
      this.counts.dropped++;
      req.socket.destroy();
      return;
    }
    const upstream = request({ host: '127.0.0.1', port: this.target, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      if (fault !== 'cutBodyEvery') {
        up.pipe(res);
        return;
      }
      const length = Number(up.headers['content-length'] ?? 0);
      let sent = 0;
      up.on('data', (c: Buffer) => {
        const room = Math.floor(length / 2) - sent;
        if (room > 0) res.write(c.subarray(0, room));
        sent += c.length;
        if (sent >= length / 2) {
          this.counts.cutBodies++;
          up.destroy();
          res.socket?.destroy();
        }
      });
      up.on('end', () => res.end());
    });
    upstream.on('error', () => res.socket?.destroy());
    upstream.end(body);
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
