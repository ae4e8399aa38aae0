/**
 * The adapter under test: `node dist/cli.js dap` as a real subprocess, driven over stdio by
 * `@vscode/debugadapter-testsupport`'s DebugClient. Collects every event it sends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { cliPath } from '../support/cli';
import {
  ATTACH_EVENT,
  RUN_EVENT,
  type AttachEventBody,
  type RunEventBody,
  type StepwiseLaunchArguments,
} from '../../runtime/src/debug/protocol';

class StdioDebugClient extends DebugClient {
  attachTo(child: ChildProcess): void {
    this.connect(child.stdout!, child.stdin!);
  }
}

export interface TimedRunEvent {
  at: number;
  event: RunEventBody;
}

export class AdapterUnderTest {
  readonly dc = new StdioDebugClient('node', cliPath, 'stepwise');
  readonly child: ChildProcess;
  readonly output: string[] = [];
  readonly outputEvents: DebugProtocol.OutputEvent[] = [];
  readonly runEvents: TimedRunEvent[] = [];
  readonly attachEvents: AttachEventBody[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;

  constructor(cwd: string, env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [cliPath, 'dap'], { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
    this.dc.defaultTimeout = 30_000;
    this.dc.attachTo(this.child);
    this.dc.on('output', (e: DebugProtocol.OutputEvent) => {
      this.outputEvents.push(e);
      this.output.push(e.body.output);
    });
    this.dc.on(RUN_EVENT, (e: DebugProtocol.Event) => this.runEvents.push({ at: Date.now(), event: e.body as RunEventBody }));
    this.dc.on(ATTACH_EVENT, (e: DebugProtocol.Event) => this.attachEvents.push(e.body as AttachEventBody));
  }

  text(): string {
    return this.output.join('');
  }

  /** initialize → launch → (breakpoints: `configure`) → configurationDone, as VS Code sends them. */
  async launch(args: StepwiseLaunchArguments, configure?: () => Promise<unknown>): Promise<DebugProtocol.LaunchResponse> {
    await this.dc.initializeRequest({ adapterID: 'stepwise', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = this.dc.launchRequest(args as DebugProtocol.LaunchRequestArguments);
    await configure?.();
    await this.dc.configurationDoneRequest();
    return launched;
  }

  /** Resolves with the body of the `nth` `runFinished` event (1-based; a restart makes a second). */
  runFinished(nth = 1, timeoutMs = 60_000): Promise<Extract<RunEventBody, { type: 'runFinished' }>> {
    type Finished = Extract<RunEventBody, { type: 'runFinished' }>;
    const found = () => this.runEvents.map((e) => e.event).filter((e): e is Finished => e.type === 'runFinished')[nth - 1];
    const now = found();
    if (now) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no runFinished #${nth} within ${timeoutMs} ms; output:\n${this.text()}\nstderr:\n${this.stderr}`)),
        timeoutMs,
      );
      // Registered after the collector in the constructor, so runEvents already holds this one.
      const on = () => {
        const f = found();
        if (!f) return;
        clearTimeout(timer);
        this.dc.off(RUN_EVENT, on);
        resolve(f);
      };
      this.dc.on(RUN_EVENT, on);
    });
  }

  /** Ends the session the way VS Code does, and waits for the adapter process to exit. */
  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      await this.dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
