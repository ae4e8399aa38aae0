/** Waiting for what a Stepwise debug session does, for the debugging suites. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ATTACH_EVENT, DEBUG_TYPE, RUN_EVENT, type AttachEventBody, type RunEventBody } from '../../../runtime/src/debug/protocol';

export interface Stop {
  /** The task's session (pathspec-named child of the Stepwise session). */
  task: vscode.DebugSession;
  /** The session holding the stack (the task's session or js-debug's target below it). */
  session: vscode.DebugSession;
  frameId: number;
  threadId: number;
}

export function taskSessionOf(session: vscode.DebugSession | undefined): vscode.DebugSession | undefined {
  for (let s = session; s; s = s.parentSession) if (s.parentSession?.type === 'stepwise') return s;
  return undefined;
}

/**
 * What the debugger did lately, for the message of a wait that timed out: sessions starting and
 * ending, the Stepwise run's task events, DAP stops and VS Code's focus. A failure in CI then
 * tells whether the task ran, was attached, stopped, or stopped without VS Code showing it.
 */
const timeline: string[] = [];
const suiteStart = Date.now();
function note(what: string): void {
  timeline.push(`${((Date.now() - suiteStart) / 1000).toFixed(1)}s ${what}`);
  if (timeline.length > 60) timeline.shift();
}
const nameOf = (s: vscode.DebugSession | undefined) => (s ? `${s.name} (${s.type})` : 'none');

/**
 * Every debug session that has started and not yet ended, since the suites loaded. VS Code's
 * `activeDebugSession` is the *focused* session, which can outlive its session: when the focused
 * session ends, VS Code focuses another one, and if no other is left it may pick the ending one
 * itself (the workbench's fallback is the first session it still lists), which then stays
 * focused after it has ended. Seen in CI after a run whose last task session ended just before it.
 */
const live = new Map<string, vscode.DebugSession>();
if (vscode.debug.activeDebugSession) live.set(vscode.debug.activeDebugSession.id, vscode.debug.activeDebugSession);
vscode.debug.onDidStartDebugSession((s) => {
  live.set(s.id, s);
  note(`started ${nameOf(s)}`);
});
vscode.debug.onDidTerminateDebugSession((s) => {
  live.delete(s.id);
  note(`ended ${nameOf(s)}`);
});
vscode.debug.onDidChangeActiveStackItem((i) =>
  note(`focus ${i instanceof vscode.DebugStackFrame ? 'frame' : i ? 'thread' : 'none'} of ${nameOf(i?.session)}`),
);
/** Tasks started per step, by Stepwise session: only a step's first task is noted, with the counts at the run's end. */
const startedTasks = new Map<string, Map<string, number>>();
vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
  if (e.event === ATTACH_EVENT) note(`attach ${(e.body as AttachEventBody).pathspec}`);
  if (e.event !== RUN_EVENT) return;
  const body = e.body as RunEventBody;
  const counts = startedTasks.get(e.session.id) ?? new Map<string, number>();
  startedTasks.set(e.session.id, counts);
  if (body.type === 'taskStarted') {
    const n = (counts.get(body.step) ?? 0) + 1;
    counts.set(body.step, n);
    if (n === 1) note(`taskStarted ${body.pathspec}`);
  } else if (body.type === 'taskFinished' && body.status !== 'succeeded')
    note(`taskFinished ${body.pathspec} ${body.status}${body.exception ? `: ${body.exception.name}: ${body.exception.message}` : ''}`);
  else if (body.type === 'runFinished') {
    startedTasks.delete(e.session.id);
    note(`runFinished ${body.runId} ${body.status}; tasks started: ${[...counts].map(([step, n]) => `${step} ${n}`).join(', ')}`);
  }
});
vscode.debug.registerDebugAdapterTrackerFactory('*', {
  createDebugAdapterTracker: (s) => ({
    onDidSendMessage: (m: { type?: string; event?: string; body?: { reason?: string } }) => {
      if (m.type === 'event' && m.event === 'stopped') note(`DAP stopped (${m.body?.reason}) in ${nameOf(s)}`);
    },
  }),
});
function recently(): string {
  return `\n  what the debugger did lately:\n    ${timeline.join('\n    ')}`;
}

/** The next stop of the debugger in a task of the given step. */
export function nextStop(step: string, timeoutMs = 60_000): Promise<Stop> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`the debugger did not stop in step ${step} within ${timeoutMs} ms${recently()}`));
    }, timeoutMs);
    const sub = vscode.debug.onDidChangeActiveStackItem((item) => {
      if (!(item instanceof vscode.DebugStackFrame)) return;
      const task = taskSessionOf(item.session);
      if (!task || task.name.split('/')[1] !== step) return;
      clearTimeout(timer);
      sub.dispose();
      resolve({ task, session: item.session, frameId: item.frameId, threadId: item.threadId });
    });
  });
}

/** The `runFinished` event of the Stepwise session that starts next, and its termination. */
export function nextRun(timeoutMs = 90_000): {
  session: Promise<vscode.DebugSession>;
  finished: Promise<Extract<RunEventBody, { type: 'runFinished' }>>;
  terminated: Promise<void>;
} {
  const subs: vscode.Disposable[] = [];
  let own: vscode.DebugSession | undefined;
  const session = new Promise<vscode.DebugSession>((resolve) =>
    subs.push(
      vscode.debug.onDidStartDebugSession((s) => {
        if (s.type === 'stepwise' && !own) resolve((own = s));
      }),
    ),
  );
  const finished = new Promise<Extract<RunEventBody, { type: 'runFinished' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no runFinished within ${timeoutMs} ms`)), timeoutMs);
    subs.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        const body = e.body as RunEventBody;
        if (e.session === own && e.event === RUN_EVENT && body.type === 'runFinished') {
          clearTimeout(timer);
          resolve(body);
        }
      }),
    );
  });
  const terminated = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the Stepwise session did not end within ${timeoutMs} ms`)), timeoutMs);
    subs.push(
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s === own) {
          clearTimeout(timer);
          resolve();
        }
      }),
    );
  });
  void terminated.finally(() => subs.forEach((d) => d.dispose())).catch(() => undefined);
  return { session, finished, terminated };
}

export async function topFrame(stop: Stop): Promise<{ path: string; line: number }> {
  const r = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, startFrame: 0, levels: 1 })) as {
    stackFrames: Array<{ line: number; source?: { path?: string } }>;
  };
  const f = r.stackFrames[0];
  const path = f.source?.path ?? '';
  // code-server's js-debug reports remote files as vscode-remote:// URIs.
  return { path: path.includes('://') ? vscode.Uri.parse(path).fsPath : path, line: f.line };
}

export async function evaluate(stop: Stop, expression: string): Promise<string> {
  const r = (await stop.session.customRequest('evaluate', { expression, frameId: stop.frameId, context: 'repl' })) as { result: string };
  return r.result;
}

/** The names (run/step/task) of the task sessions js-debug starts under Stepwise sessions, in order. */
export function taskSessionNames(): { names: string[]; dispose(): void } {
  const names: string[] = [];
  const sub = vscode.debug.onDidStartDebugSession((s) => {
    if (s.type === 'pwa-node' && s.parentSession?.type === 'stepwise') names.push(s.name);
  });
  return { names, dispose: () => sub.dispose() };
}

/**
 * For a test that starts its own debug session: stops whatever an earlier test left going (a
 * task still paused, a session still ending) and waits until none is left, so the new session's
 * stop gets the focus and the keybindings that need no session apply.
 */
export async function noSessionBefore(): Promise<void> {
  if (live.size) await vscode.debug.stopDebugging();
  await noSessionLeft();
}

/** Resolves once no debug session is left (a run's end must end its task sessions too); else fails naming the one left. */
export async function noSessionLeft(timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (live.size) {
    if (Date.now() > deadline) {
      const s = [...live.values()][0];
      throw new Error(`debug session ${nameOf(s)} still going ${timeoutMs} ms after its run ended${recently()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts the flow in `file` as a launch configuration naming it does: F5's way, or Ctrl+F5's
 * (`noDebug`). `extra` adds configuration fields (a resume's `command`, `originRunId`…).
 */
export async function launchFlow(
  file: vscode.Uri,
  name: string,
  o: { noDebug?: boolean; extra?: Record<string, unknown> } = {},
): Promise<void> {
  const started = await vscode.debug.startDebugging(
    vscode.workspace.getWorkspaceFolder(file),
    { type: DEBUG_TYPE, request: 'launch', name, flow: file.fsPath, ...o.extra },
    o.noDebug ? { noDebug: true } : undefined,
  );
  assert.ok(started, `VS Code did not start the debug configuration "${name}"`);
}

/** Runs the flow in `file` without the debugger (Ctrl+F5's way) to its end: its `runFinished`. */
export async function runWithoutDebugging(file: vscode.Uri, name: string): Promise<Extract<RunEventBody, { type: 'runFinished' }>> {
  const run = nextRun();
  await launchFlow(file, name, { noDebug: true });
  const end = await run.finished;
  await run.terminated;
  return end;
}
