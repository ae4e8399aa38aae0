/**
 * The run's console lines, as the CLI prints them (RunConsole), turned into DAP output events
 * for the Debug Console. A failed task's line carries the TypeScript location of the throw, so
 * the Debug Console links to it.
 */
import { OutputEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { RunConsole } from '../run/console';
import type { RunEvent } from '../scheduler/events';
import { escapeControls } from '../terminalText';

export interface SourceLocation {
  path: string;
  line: number;
  column: number;
}

/** The first stack frame in a TypeScript file: where the user's step threw. */
export function throwLocation(stack: string | undefined): SourceLocation | undefined {
  for (const line of (stack ?? '').split('\n')) {
    const m = /^\s+at (?:.*?\()?((?:\/|[A-Za-z]:\\|file:\/\/).+?\.[cm]?tsx?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (m) return { path: m[1].startsWith('file://') ? new URL(m[1]).pathname : m[1], line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

export class DebugConsoleOutput {
  private category: 'stdout' | 'stderr' | 'console' = 'stdout';
  private location: SourceLocation | undefined;
  private readonly view: RunConsole;

  constructor(private readonly send: (e: DebugProtocol.OutputEvent) => void) {
    this.view = new RunConsole({
      out: { write: (text: string) => this.write(text) },
      quiet: false,
    });
  }

  private write(text: string): boolean {
    // The Debug Console acts on escape sequences too: flow text is escaped as on a terminal.
    const e = new OutputEvent(escapeControls(text), this.category) as DebugProtocol.OutputEvent;
    if (this.location) {
      e.body.source = { name: this.location.path.split(/[\\/]/).pop(), path: this.location.path };
      e.body.line = this.location.line;
      e.body.column = this.location.column;
      this.location = undefined;
    }
    this.send(e);
    return true;
  }

  handle(e: RunEvent): void {
    this.category = 'stdout';
    if (e.type === 'taskLog' && e.stream === 'stderr') this.category = 'stderr';
    if (e.type === 'taskFinished' && e.status !== 'succeeded') {
      this.category = 'stderr';
      this.location = throwLocation(e.exception?.stack);
    }
    if (e.type === 'runFinished' && e.status !== 'succeeded') this.category = 'stderr';
    this.view.handle(e);
    this.location = undefined;
  }

  /** A line of the adapter's own (warnings, why the session ends). */
  line(text: string, category: 'stdout' | 'stderr' | 'console' = 'console'): void {
    this.category = category;
    this.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}
