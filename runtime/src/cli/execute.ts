/** Runs a prepared session in the foreground of a terminal: console output, Ctrl-C handling. */
import type { RunEndRecord } from '../datastore/types';
import { prepareSession, type SessionOptions } from '../run/session';
import type { CommandIO } from './command';
import { RunConsole, timestamp } from '../run/console';

export interface ConsoleMode {
  quiet: boolean;
  /** One JSON RunEvent per line on stdout, for programs (the extension) rather than people. */
  jsonEvents: boolean;
}

export async function executeWithConsole(o: SessionOptions, io: CommandIO, mode: ConsoleMode): Promise<RunEndRecord> {
  const session = await prepareSession(o);
  for (const w of session.warnings) io.stderr.write(`warning: ${w}\n`);
  if (mode.jsonEvents) {
    session.scheduler.on((e) => io.stdout.write(JSON.stringify(e) + '\n'));
  } else {
    const view = new RunConsole({ out: io.stdout, quiet: mode.quiet });
    session.scheduler.on((e) => view.handle(e));
  }
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    io.stdout.write(`\n${timestamp()} ${sig} received: killing the task processes (press Ctrl-C again to quit at once).\n`);
    session.scheduler.kill(`interrupted by ${sig}`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await session.scheduler.execute();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
