/**
 * Runs started in a terminal by the Run CodeLens / command (`… dist/cli.js run FILE`): seen through
 * the terminal's shell integration, then followed in the datastore (the CLI there prints for a
 * person, not JSON events), so they get the same status bar item, notification and failure
 * actions as runs started in the background.
 */
import { resolve } from 'node:path';
import * as vscode from 'vscode';
import type { FollowedRun } from './followRun';

/** `stepwise run|resume FILE …` (or `… cli.js run …`) → the command and the file as typed. */
export function parseCliCommand(commandLine: string): { command: 'run' | 'resume'; file: string } | undefined {
  const m = /(?:cli\.js|(?:^|[\s/\\&])stepwise(?:\.cmd)?)['"]?\s+(run|resume)\s+('([^']*)'|"([^"]*)"|(\S+))/.exec(commandLine);
  if (!m) return undefined;
  return { command: m[1] as 'run' | 'resume', file: m[3] ?? m[4] ?? m[5] };
}

export interface TerminalRunHandlers {
  /** Shows where the run is, then its outcome; returns when the run is over. */
  follow(run: FollowedRun): Promise<void>;
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
