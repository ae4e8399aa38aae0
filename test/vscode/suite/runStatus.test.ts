/**
 * The run status bar item follows whichever run was started last, from any path: a debug run
 * started while a run with progress is held at a gate takes the item, and keeps it when the
 * earlier run ends. A failed run's notification carries its error's first line.
 */
import * as assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ShownMessage } from '../../../client/src/messages';
import type { RunOutcome } from '../../../client/src/runs';
import { Flow } from '../../../runtime/src/client';
import { activateStepwise, waitFor, workspaceFile, workspaceFolder } from './support';

describe('the run status bar item and the run-failed notification', function () {
  this.timeout(180_000);

  it('follows the run started last (a debug run over a held run), and the failure names its error', async () => {
    const api = await activateStepwise();
    const folder = workspaceFolder().fsPath;
    const gate = join(folder, 'status_gate.txt');
    rmSync(gate, { force: true });
    const file = join(folder, 'held_flow.ts');
    writeFileSync(
      file,
      `import { existsSync } from 'node:fs';
import { FlowSpec, step } from 'stepwise';

export default class HeldFlow extends FlowSpec {
  @step async start() {
    while (!existsSync(${JSON.stringify(gate)})) await new Promise((r) => setTimeout(r, 20));
    // Always true here; the linter wants a next() the step can reach.
    if (existsSync(${JSON.stringify(gate)})) throw new Error('held failure\\nsecond line');
    this.next(this.end);
  }
  @step end() {}
}
`,
    );
    const shown: ShownMessage[] = [];
    const sub = api.onDidShowMessage((m) => shown.push(m));
    const changed = new vscode.EventEmitter<void>();
    const tick = setInterval(() => changed.fire(), 100);
    let held: Promise<RunOutcome> | undefined;
    try {
      held = api.runs.start({ file, cwd: folder, command: 'run' });
      await waitFor(
        'the held run in the status bar',
        changed.event,
        () => (api.runs.statusText().includes('HeldFlow') ? true : undefined),
        60_000,
      );

      const hello = workspaceFile('flows/hello.ts');
      const ended = new Promise<void>((resolve) => {
        const s = vscode.debug.onDidTerminateDebugSession((t) => {
          if (t.type !== 'stepwise') return;
          s.dispose();
          resolve();
        });
      });
      const debugStarted = Date.now();
      assert.ok(
        await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(hello), {
          type: 'stepwise',
          request: 'launch',
          name: 'Debug hello',
          flow: hello.fsPath,
        }),
      );
      await waitFor(
        'the debug run in the status bar',
        changed.event,
        () => (api.runs.statusText().includes('HelloWorldFlow') ? true : undefined),
        90_000,
      ).catch(async (e: Error) => {
        const [latest] = await Flow('HelloWorldFlow', { root: join(folder, '.stepwise') })
          .runs({ limit: 1 })
          .catch(() => []);
        const session = vscode.debug.activeDebugSession;
        throw new Error(
          `${e.message}; the item shows ${JSON.stringify(api.runs.statusText())}; the latest HelloWorldFlow run: ` +
            `${latest ? `${latest.id} created ${latest.createdAt.toISOString()} finished ${latest.finished} file ${latest.file}` : 'none'}; ` +
            `active debug session: ${session ? `${session.type} ${JSON.stringify(session.configuration)}` : 'none'}; started at ${new Date(debugStarted).toISOString()}`,
        );
      });
      await ended;
      await waitFor(
        'the debug run’s outcome',
        changed.event,
        () => (/HelloWorldFlow \d+ succeeded/.test(api.runs.statusText()) ? true : undefined),
        30_000,
      );

      writeFileSync(gate, 'open');
      const outcome = await held;
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.error, 'Error: held failure');
      assert.match(api.runs.statusText(), /HelloWorldFlow \d+ succeeded/, 'the earlier run does not take the item back');
      const note = await waitFor(
        'the failure notification',
        changed.event,
        () => shown.find((m) => m.kind === 'error' && m.text.includes('HeldFlow')),
        10_000,
      );
      assert.equal(
        note.text,
        `Stepwise: HeldFlow ${outcome.runId} failed: step start (task ${outcome.failedTasks[0].split('/')[3]}) failed: Error: held failure`,
      );
      assert.deepEqual(note.actions, ['Show logs', 'Open in Notebook', 'Debug Task', 'Resume (debug)']);
    } finally {
      // Whatever failed, the held run ends (no task left spinning for the next test).
      writeFileSync(gate, 'open');
      await held;
      clearInterval(tick);
      changed.dispose();
      sub.dispose();
      rmSync(gate, { force: true });
    }
  });

  it('.stepwise/ is hidden in the Explorer by default (files.exclude)', async () => {
    await activateStepwise();
    const exclude = vscode.workspace.getConfiguration('files', workspaceFolder()).get<Record<string, boolean>>('exclude') ?? {};
    assert.equal(exclude['**/.stepwise'], true, JSON.stringify(exclude));
    assert.equal(exclude['**/.git'], true, 'VS Code’s own defaults are kept');
  });
});
