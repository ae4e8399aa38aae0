/**
 * dist/early.js: the run's first task process, started by the CLI's boot (boot/earlyTask.ts)
 * before the CLI has loaded its bundle, so that starting Node overlaps the CLI's own start, lint,
 * compile and run record. At that moment nobody knows the run's runtime copy yet (it depends on
 * the datastore: scheduler/taskRuntime.ts), so this file loads nothing of the runtime: it waits
 * on stdin for one EarlyStart line from the runner (scheduler/launchers/early.ts), takes the
 * environment it names, and then runs that copy's dist/task.js (as a spare, whose spec follows on
 * the same stdin) or dist/taskHost.js as the main module, exactly as if Node had been started
 * with it. An end of stdin before that line means the runner did not need it, or died: it exits.
 */
import Module from 'node:module';
import type { EarlyStart } from './spec';

const stdin = process.stdin;
const chunks: Buffer[] = [];

function onData(chunk: Buffer): void {
  chunks.push(chunk);
  const all = Buffer.concat(chunks);
  const nl = all.indexOf(10);
  if (nl < 0) return;
  stdin.off('data', onData).off('end', onEnd).off('error', onEnd);
  stdin.pause();
  // What came after the line (a spare's spec, when the runner was quick) is the task's to read.
  if (nl + 1 < all.length) stdin.unshift(all.subarray(nl + 1));
  start(JSON.parse(all.subarray(0, nl).toString('utf8')) as EarlyStart);
}

function onEnd(): void {
  process.exit(0);
}

/** The environment through process.env's own setters (so TZ and the C library see it too), then the entry. */
function start({ entry, args, env }: EarlyStart): void {
  for (const k of Object.keys(process.env)) if (!(k in env)) delete process.env[k];
  for (const [k, v] of Object.entries(env)) if (v !== undefined && process.env[k] !== v) process.env[k] = v;
  process.argv = [process.execPath, entry, ...args];
  (Module as unknown as { runMain(main: string): void }).runMain(entry);
}

stdin.on('data', onData).on('end', onEnd).on('error', onEnd);
