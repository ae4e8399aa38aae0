/** Runs a prepared session in the foreground of a terminal: console output, Ctrl-C handling. */
import type { RunEndRecord } from '../datastore/types';
import type { RunEvent } from '../scheduler/events';
import { prepareSession, type SessionOptions } from '../run/session';
import type { CommandIO } from './command';
import { RunConsole, timestamp } from '../run/console';

export interface ConsoleMode {
  quiet: boolean;
  /** One JSON RunEvent per line on stdout, for programs (the extension) rather than people. */
  jsonEvents: boolean;
}

/** `onEvent`: a command's own use of the run's events (spin --debug prints the inspector URL). */
export async function executeWithConsole(
  o: SessionOptions,
  io: CommandIO,
  mode: ConsoleMode,
  onEvent?: (e: RunEvent) => void,
): Promise<RunEndRecord> {
  const session = await prepareSession(o);
  for (const w of session.warnings) io.stderr.write(`warning: ${w}\n`);
  // After a hang-up the terminal is gone: writing to it would fail; the run is stopped quietly.
  let hungUp = false;
  if (mode.jsonEvents) {
    session.scheduler.on((e) => hungUp || io.stdout.write(JSON.stringify(e) + '\n'));
  } else {
    const view = new RunConsole({ out: io.stdout, quiet: mode.quiet });
    session.scheduler.on((e) => hungUp || view.handle(e));
  }
  if (onEvent) session.scheduler.on((e) => hungUp || onEvent(e));
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    if (sig === 'SIGHUP') hungUp = true;
    else io.stdout.write(`\n${timestamp()} ${sig} received: killing the task processes (press Ctrl-C again to quit at once).\n`);
    session.scheduler.kill(`interrupted by ${sig}`);
  };
  // A closed terminal (SIGHUP) stops the run like Ctrl-C: its tasks killed, the run recorded as killed.
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    return await session.scheduler.execute();
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}
