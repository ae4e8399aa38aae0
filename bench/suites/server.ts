/**
 * The language server as the editor sees it: the shipped bundle (dist/server.js --stdio) in
 * its own process, spoken to over JSON-RPC. Measures how long a keystroke takes to come back
 * as diagnostics, and what the process holds in memory with many flows open.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { generateFlow } from '../flowgen';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const WARMUP_EDITS = 15;
const MEASURED_EDITS = 60;
/** A brisk typist: one keystroke every 100 ms. */
const TYPING_INTERVAL_MS = 100;

async function startServer() {
  const proc = spawn(process.execPath, [join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  const waiting = new Map<string, (p: PublishDiagnosticsParams) => void>();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    const key = `${p.uri}#${p.version}`;
    waiting.get(key)?.(p);
    waiting.delete(key);
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  /** Resolves when the diagnostics of `version` arrive; register before sending the change. */
  const published = (uri: string, version: number) =>
    new Promise<PublishDiagnosticsParams>((resolve) => waiting.set(`${uri}#${version}`, resolve));
  const open = async (uri: string, text: string) => {
    const done = published(uri, 1);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text } });
    return done;
  };
  const stop = async () => {
    await connection.sendRequest('shutdown');
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    await connection.sendNotification('exit');
    await exited;
    connection.dispose();
  };
  return { proc, connection, published, open, stop };
}

function rssMegabytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** didChange → publishDiagnostics of that version, one keystroke at a time in a doc comment. */
async function keystrokeLatency(pacing: 'back-to-back' | 'typing'): Promise<BenchFigure> {
  const server = await startServer();
  try {
    const text = generateFlow(100);
    const lines = text.split('\n');
    const uri = 'file:///bench/generated_100_steps.ts';
    const opening = process.hrtime.bigint();
    const first = await server.open(uri, text);
    const openMs = Number(process.hrtime.bigint() - opening) / 1e6;
    if (first.diagnostics.some((d) => d.severity === 1)) throw new Error('the generated flow should lint clean');
    // Type into the middle of the file, where a real edit would shift everything below it.
    const line = lines.findIndex((l, i) => i > lines.length / 2 && l.trim().startsWith('/**'));
    let character = lines[line].length;
    const times: number[] = [];
    for (let i = 0; i < WARMUP_EDITS + MEASURED_EDITS; i++) {
      const version = i + 2;
      const position = { line, character };
      const done = server.published(uri, version);
      const started = process.hrtime.bigint();
      await server.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: position, end: position }, text: 'x' }],
      });
      await done;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      character++;
      if (i >= WARMUP_EDITS) times.push(ms);
      if (pacing === 'typing') await delay(Math.max(0, TYPING_INTERVAL_MS - ms));
    }
    const ms = median(times);
    const how =
      pacing === 'typing' ? `one keystroke per ${TYPING_INTERVAL_MS} ms` : 'each keystroke sent as soon as the last was published';
    return {
      group: 'server',
      name: `didChange → publishDiagnostics, generated 100-step flow (${lines.length} lines), warm, ${how}, median of ${MEASURED_EDITS}`,
      value: round(ms, 1),
      unit: 'ms',
      target: '≤ 50 ms median',
      ok: ms <= 50,
      // Parsing dominates and is CPU-bound: say how busy the machine was while measuring.
      note: `p90 ${round([...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)], 1)} ms; first diagnostics after didOpen in the fresh server (loads the parser) ${round(openMs)} ms; machine load average ${round(loadavg()[0])} on ${cpus().length} CPUs`,
    };
  } finally {
    await server.stop();
  }
}

/** RSS of the server process with every conformance and invalid flow open (20 files). */
async function memoryWithTwentyFlows(): Promise<BenchFigure[]> {
  const server = await startServer();
  try {
    const idle = rssMegabytes(server.proc.pid!);
    const files: string[] = [];
    for (const dir of ['flows', 'invalid']) {
      const folder = join(root, 'test', 'fixtures', dir);
      for (const f of readdirSync(folder)
        .filter((n) => n.endsWith('.ts'))
        .sort())
        files.push(join(folder, f));
    }
    for (const file of files.slice(0, 20)) await server.open(pathToFileURL(file).href, readFileSync(file, 'utf8'));
    const rss = rssMegabytes(server.proc.pid!);
    return [
      {
        group: 'server',
        name: `server process RSS after opening ${Math.min(20, files.length)} flows (conformance + invalid), all diagnostics published`,
        value: round(rss, 1),
        unit: 'MB',
        note: `${round(idle, 1)} MB right after initialize`,
      },
    ];
  } finally {
    await server.stop();
  }
}

export const suite: BenchSuite = {
  group: 'server',
  async run() {
    return [await keystrokeLatency('back-to-back'), await keystrokeLatency('typing'), ...(await memoryWithTwentyFlows())];
  },
};
