/**
 * Runs started in a terminal by the Run CodeLens / command (`… dist/cli.js run FILE`): seen through
 * the terminal's shell integration, then followed in the datastore (the CLI there prints for a
 * person, not JSON events), so they get the same status bar item, notification and failure
 * actions as runs started in the background.
 */
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import { Metaflow, type RunClient } from '../../../runtime/src/client';
import { formatDuration } from '../explorer/format';

/** `stepwise run|resume FILE …` (or `… cli.js run …`) → the command and the file as typed. */
export function parseCliCommand(commandLine: string): { command: 'run' | 'resume'; file: string } | undefined {
  const m = /(?:cli\.js|(?:^|[\s/\\&])stepwise(?:\.cmd)?)['"]?\s+(run|resume)\s+('([^']*)'|"([^"]*)"|(\S+))/.exec(commandLine);
  if (!m) return undefined;
  return { command: m[1] as 'run' | 'resume', file: m[3] ?? m[4] ?? m[5] };
}

/** The run of `file` that started at or after `since`, if it exists yet. */
export async function findRun(root: string, file: string, since: number): Promise<RunClient | undefined> {
  for (const flow of await Metaflow({ root }).flows()) {
    for (const run of await flow.runs({ limit: 3 })) {
      if (run.file === file && run.createdAt.getTime() >= since - 1000) return run;
    }
  }
  return undefined;
}

/** One line of progress from the datastore: `2 steps done · analyze 40/100 · 3.1 s`. */
export async function datastoreProgress(run: RunClient): Promise<string> {
  let done = 0;
  let fanout = '';
  for (const step of await run.steps()) {
    const s = await step.summary();
    const finished = s.succeeded + s.failed + s.killed;
    if (finished === s.total && s.running === 0) done++;
    else if (s.total > 1) fanout = `${step.name} ${finished}/${s.total}`;
  }
  const elapsed = Date.now() - run.createdAt.getTime();
  return [`${done} step${done === 1 ? '' : 's'} done`, fanout, formatDuration(elapsed)].filter(Boolean).join(' · ');
}

export interface TerminalRunHandlers {
  /** Shows where the run is, then its outcome; returns when the run is over. */
  follow(run: {
    file: string;
    cwd: string;
    command: 'run' | 'resume';
    since: number;
    ended: Promise<void>;
    cancel: () => void;
  }): Promise<void>;
}

export function watchTerminalRuns(h: TerminalRunHandlers): vscode.Disposable {
  return vscode.window.onDidStartTerminalShellExecution((e) => {
    const parsed = parseCliCommand(e.execution.commandLine.value);
    if (!parsed) return;
    const cwd = e.execution.cwd?.fsPath ?? String((e.terminal.creationOptions as vscode.TerminalOptions).cwd ?? '');
    if (!cwd) return;
    const ended = new Promise<void>((done) => {
      const sub = vscode.window.onDidEndTerminalShellExecution((end) => {
        if (end.execution !== e.execution) return;
        sub.dispose();
        done();
      });
    });
    void h.follow({
      file: resolve(cwd, parsed.file),
      cwd,
      command: parsed.command,
      since: Date.now(),
      ended,
      // Ctrl-C in the terminal: the CLI kills its tasks and marks the run killed.
      cancel: () => e.terminal.sendText('\x03', false),
    });
  });
}
