/**
 * The `stepwise` debug adapter. It validates the flow, drives the runtime's scheduler in this
 * process, and translates: run events become Debug Console lines and custom events; every task
 * the client will attach to starts under the V8 inspector and is announced with a ready
 * `pwa-node` attach configuration (ATTACH_EVENT). js-debug does the debugging; this adapter has
 * no threads, stacks or breakpoints of its own.
 */
import { appendFileSync } from 'node:fs';
import { DebugSession, Event, ExitedEvent, InitializedEvent, TerminatedEvent, Thread, ThreadEvent } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { CompileError } from '../compile/bundle';
import type { RunEndRecord } from '../datastore/types';
import { UsageError } from '../errors';
import { prepareSession, type PreparedSession } from '../run/session';
import { asStorageError, StorageError } from '../datastore/storageError';
import type { RunEvent } from '../scheduler/events';
import { taskAttachConfig } from './attachConfig';
import { planLaunch, type LaunchPlan } from './launchConfig';
import { DebugConsoleOutput } from './output';
import { EXCEPTION_FILTERS, RUN_THREAD } from './breakpoints';
import { StopPlaces } from './stopPlaces';
import { ATTACH_EVENT, RUN_EVENT, type AttachEventBody, type StepwiseLaunchArguments } from './protocol';

interface ActiveRun {
  prepared: PreparedSession;
  done: Promise<RunEndRecord | undefined>;
  /** A restart replaced this run: its end must not end the session. */
  superseded: boolean;
}

export interface StepwiseDebugSessionOptions {
  /** The environment tasks inherit (before the launch configuration's `env`). */
  env: NodeJS.ProcessEnv;
  /** Called once the client has disconnected and the run is over. */
  onShutdown?: () => void;
}

function messageOf(err: unknown): string {
  const storage = asStorageError(err);
  if (storage) return storage.message;
  if (err instanceof UsageError || err instanceof CompileError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/**
 * STEPWISE_DAP_TRACE=<file>: the adapter appends each message it receives and sends, with the
 * wall-clock time, to that file (diagnosis of where the time to a breakpoint goes).
 */
function dapTracer(): ((what: string) => void) | undefined {
  const file = process.env.STEPWISE_DAP_TRACE;
  if (!file) return undefined;
  const line = (what: string) => appendFileSync(file, `${Date.now()} ${process.pid} ${what}\n`);
  line(`process started at ${Math.round(performance.timeOrigin)}`);
  return line;
}

export class StepwiseDebugSession extends DebugSession {
  private readonly trace = dapTracer();
  private readonly output = new DebugConsoleOutput((e) => this.sendEvent(e));
  private active: ActiveRun | undefined;
  private launchArgs: StepwiseLaunchArguments | undefined;
  private shutDown = false;
  /** Breakpoints, exception filters and Pause: which tasks start under the inspector. */
  private readonly places = new StopPlaces();
  private configured!: () => void;
  /** The client has sent its breakpoints (configurationDone). */
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));

  constructor(private readonly o: StepwiseDebugSessionOptions) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    this.trace?.(`<- ${request.command}`);
    super.dispatchRequest(request);
  }

  override sendResponse(response: DebugProtocol.Response): void {
    this.trace?.(`-> response ${response.command}`);
    super.sendResponse(response);
  }

  override sendEvent(event: DebugProtocol.Event): void {
    if (this.trace && event.event !== 'output') {
      const body = event.body as { type?: string; pathspec?: string } | undefined;
      this.trace(`-> event ${event.event} ${body?.type ?? body?.pathspec ?? ''}`);
    }
    super.sendEvent(event);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsTerminateRequest: true,
      supportsRestartRequest: true,
      // The same filters as js-debug's, so VS Code shows one checkbox each and sends its state
      // here too: with exception breakpoints on, any task can stop.
      exceptionBreakpointFilters: EXCEPTION_FILTERS,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  // The breakpoints belong to the task sessions (js-debug), which verify them; this session only
  // learns where they are (which tasks can stop) and answers without data, so it neither
  // verifies nor greys out anything.
  protected override setBreakPointsRequest(
    response: DebugProtocol.SetBreakpointsResponse,
    args: DebugProtocol.SetBreakpointsArguments,
  ): void {
    const lines = args.breakpoints?.map((b) => b.line) ?? args.lines ?? [];
    if (args.source.path) this.places.setBreakpoints(args.source.path, lines);
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(
    response: DebugProtocol.SetExceptionBreakpointsResponse,
    args: DebugProtocol.SetExceptionBreakpointsArguments,
  ): void {
    this.places.setExceptionFilters([...args.filters, ...(args.filterOptions ?? []).map((f) => f.filterId)]);
    this.sendResponse(response);
  }

  // One thread, the run, so that VS Code's Pause reaches this session while no task is attached.
  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(RUN_THREAD, 'Stepwise run')] };
    this.sendResponse(response);
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.places.pause();
    this.output.line('Pause: the next task stops before its step runs, and every later task runs under the debugger.');
    this.sendResponse(response);
  }

  protected override async launchRequest(
    response: DebugProtocol.LaunchResponse,
    args: DebugProtocol.LaunchRequestArguments,
  ): Promise<void> {
    this.launchArgs = args as StepwiseLaunchArguments;
    const started = await this.prepare(this.launchArgs);
    if ('error' in started) {
      this.fail(response, started.error);
      return;
    }
    this.sendResponse(response);
    this.begin(started.plan, started.prepared);
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments): Promise<void> {
    const launch = (args.arguments as StepwiseLaunchArguments | undefined) ?? this.launchArgs;
    if (!launch) {
      this.sendErrorResponse(response, { id: 3002, format: 'Stepwise: nothing to restart (no launch yet).', showUser: true });
      return;
    }
    const old = this.active;
    if (old) {
      old.superseded = true;
      old.prepared.scheduler.kill('restarted from the debugger');
      await old.done;
    }
    this.output.line('Restarting the run…');
    this.launchArgs = launch;
    const started = await this.prepare(launch);
    if ('error' in started) {
      this.fail(response, started.error);
      return;
    }
    this.sendResponse(response);
    this.begin(started.plan, started.prepared);
  }

  protected override async terminateRequest(response: DebugProtocol.TerminateResponse): Promise<void> {
    await this.stopRun('stopped from the debugger');
    this.sendResponse(response);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    await this.stopRun('stopped from the debugger');
    this.sendResponse(response);
    this.shutdown();
  }

  /** Ends the session's process part: the run is killed first, so no task is left behind. */
  override shutdown(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    void this.stopRun('the debug session ended').finally(() => this.o.onShutdown?.());
  }

  /** Kills the run (if one is going) and waits until its end is recorded. */
  async stopRun(reason: string): Promise<void> {
    const run = this.active;
    if (!run) return;
    run.prepared.scheduler.kill(reason);
    await run.done;
  }

  private async prepare(args: StepwiseLaunchArguments): Promise<{ plan: LaunchPlan; prepared: PreparedSession } | { error: unknown }> {
    try {
      const plan = planLaunch(args, this.o.env);
      // A spin is the one task the user asked to debug: attached whatever the breakpoints.
      if (plan.attach && plan.options.kind !== 'spin') plan.options.inspectTask = (step) => this.places.inspectionOf(step);
      const prepared = await prepareSession(plan.options);
      return { plan, prepared };
    } catch (error) {
      return { error };
    }
  }

  private fail(response: DebugProtocol.Response, err: unknown): void {
    const message = messageOf(err);
    this.output.line(`Stepwise: ${message}`, 'stderr');
    this.sendErrorResponse(response, {
      id: err instanceof UsageError || err instanceof CompileError || asStorageError(err) ? 3001 : 3000,
      format: `Stepwise: ${message}`,
      showUser: true,
    });
    this.sendEvent(new TerminatedEvent());
  }

  private begin(plan: LaunchPlan, prepared: PreparedSession): void {
    for (const w of prepared.warnings) this.output.line(`warning: ${w}`, 'stderr');
    const cwd = plan.options.cwd;
    this.places.newRun();
    this.places.setFlow(plan.options.file, prepared.graph, prepared.sources);
    prepared.scheduler.on((e) => this.forward(e, plan, cwd, prepared.runtime.root));
    const run: ActiveRun = { prepared, superseded: false, done: Promise.resolve(undefined) };
    if (plan.attach) this.sendEvent(new ThreadEvent('started', RUN_THREAD));
    run.done = this.execute(run, plan.attach);
    this.active = run;
  }

  private forward(e: RunEvent, plan: LaunchPlan, cwd: string, runtimeRoot: string): void {
    this.output.handle(e);
    if (e.type === 'taskLog') return;
    this.sendEvent(new Event(RUN_EVENT, e));
    if (e.type === 'taskStarted' && plan.attach && e.inspectorUrl) {
      const body: AttachEventBody = {
        pathspec: e.pathspec,
        pid: e.pid,
        inspectorUrl: e.inspectorUrl,
        config: taskAttachConfig(e.pathspec, e.inspectorUrl, cwd, runtimeRoot),
      };
      this.sendEvent(new Event(ATTACH_EVENT, body));
    }
  }

  private async execute(run: ActiveRun, attach: boolean): Promise<RunEndRecord | undefined> {
    // Which tasks start under the inspector depends on the breakpoints, which the client sends
    // before configurationDone (usually while the flow compiles). Without attaching, no wait.
    if (attach) await this.configurationDone;
    let end: RunEndRecord | undefined;
    try {
      end = await run.prepared.scheduler.execute();
    } catch (err) {
      const internal = err instanceof StorageError ? '' : 'an internal error: ';
      this.output.line(`Stepwise: the run stopped on ${internal}${messageOf(err)}`, 'stderr');
    }
    if (!run.superseded) {
      if (this.active === run) this.active = undefined;
      this.sendEvent(new ExitedEvent(end?.status === 'succeeded' ? 0 : 1));
      this.sendEvent(new TerminatedEvent());
    }
    return end;
  }
}
