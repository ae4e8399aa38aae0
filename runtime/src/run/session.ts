/**
 * Everything between "the user asked for a run" and a Scheduler ready to execute: lint the
 * flow, resolve parameters (or take the origin run's, for resume), compile, create the run.
 * Shared by the CLI (`run`, `resume`, `spin`) and the debug adapter.
 */
import { availableParallelism, hostname } from 'node:os';
import { resolve } from 'node:path';
import { compileFlow } from '../compile/bundle';
import type { Datastore } from '../datastore/datastore';
import { runState } from '../datastore/liveness';
import { datastoreFor } from '../datastore/resolve';
import { LAYOUT_VERSION, type ParameterRecord, type RunRecord } from '../datastore/types';
import { UsageError } from '../errors';
import { parseTaskPathspec } from '../pathspec';
import { readFlowFile } from '../graph/flowFile';
import { flowStructure } from '../graph/structure';
import { packageVersion } from '../paths';
import { stepPolicy, type WithDecorator } from '../graph/decorators';
import { DECORATORS } from '../api/decoratorOptions';
import { parseWithOption } from './withOption';
import type { FlowGraph } from '../graph/types';
import { lintFlow } from '../lint';
import { hashBytes, serializeArtifact } from '../serialize/codec';
import { ClonePlan } from '../scheduler/clone';
import type { TaskLauncher } from '../scheduler/launcher';
import type { TaskInspection } from '../task/spec';
import { launcherFor, taskIsolationOf } from '../scheduler/launchers';
import { dropEarlyProcess } from '../scheduler/launchers/early';
import { pinTaskRuntime, runtimeCacheDir, type TaskRuntime } from '../scheduler/taskRuntime';
import { Scheduler, taskEnv, type SchedulerOptions } from '../scheduler/scheduler';
import { resolveParameters, type ParamFlags } from './parameters';
import { computeFunctionDefaults } from './functionDefaults';
import { username } from '../util/username';
import { systemTagsFor, systemTagsOf, userTagProblem } from './tags';
import { projectFor, takeProjectFlags } from './project';

export const DEFAULT_MAX_NUM_SPLITS = 100;

export interface SessionOptions {
  file: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  kind: 'run' | 'resume' | 'spin';
  /** spin: the past task whose inputs to run the step with. */
  spinTask?: string;
  /** `run`: parameter flags by name. `resume`: must be empty. */
  paramFlags?: ParamFlags;
  originRunId?: string;
  resumeStep?: string;
  maxWorkers?: number;
  maxNumSplits?: number;
  tags?: string[];
  /** `--with` decorators as written (`retry`, `timeout:minutes=5`); resume keeps the origin's too. */
  withDecorators?: string[];
  inspector?: boolean;
  /** Under the inspector: which tasks start under it (default: all). */
  inspectTask?: (step: string) => TaskInspection;
  launcher?: TaskLauncher;
  /** `--datastore` (or the launch configuration's / VS Code setting's value): see datastore/resolve.ts. */
  datastore?: string;
  /** `--slurm-partition`: the partition of `@slurm` steps that name none. */
  slurmPartition?: string;
  /** `--task-isolation process|thread` (else STEPWISE_TASK_ISOLATION, else process). */
  taskIsolation?: string;
}

export interface PreparedSession {
  store: Datastore;
  run: RunRecord;
  graph: FlowGraph;
  scheduler: Scheduler;
  /** What the run's tasks start from (scheduler/taskRuntime.ts). */
  runtime: TaskRuntime;
  /** Warnings from the linter, printed before the run. */
  warnings: string[];
  /** The files compiled into the flow's bundle (absolute). */
  sources: string[];
}

export function loadGraphOrThrow(file: string, cwd: string): { text: string; graph: FlowGraph; warnings: string[] } {
  const { text, graph } = readFlowFile(file, cwd);
  const diags = lintFlow(graph);
  const fmt = (d: (typeof diags)[number]) =>
    `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity} ${d.code}: ${d.message}`;
  const errors = diags.filter((d) => d.severity === 'error');
  if (errors.length) {
    throw new UsageError(
      `the flow has ${errors.length} error${errors.length > 1 ? 's' : ''}; fix ${errors.length > 1 ? 'them' : 'it'} first (stepwise check ${file}):\n${errors.map(fmt).join('\n')}`,
    );
  }
  return { text, graph, warnings: diags.filter((d) => d.severity === 'warning').map(fmt) };
}

export async function prepareSession(o: SessionOptions): Promise<PreparedSession> {
  const file = resolve(o.cwd, o.file);
  const { graph, warnings } = loadGraphOrThrow(file, o.cwd);
  const store = datastoreFor({ type: o.datastore, cwd: o.cwd, env: o.env });
  const maxWorkers = o.maxWorkers ?? availableParallelism();
  // Where tasks run is decided by this command's options alone (resume keeps no placement of its origin's).
  const remote = slurmSteps(graph, withDecorators(o.withDecorators ?? []), o);
  const launcher =
    o.launcher ??
    launcherFor({
      slurmSteps: remote,
      partition: o.slurmPartition,
      env: o.env,
      // Under the debugger every task is a process: the inspector attaches to processes.
      isolation: o.inspector ? 'process' : taskIsolationOf(o.taskIsolation, o.env),
      maxWorkers,
      // Under the debugger too: only a task that can stop starts under the inspector (a process of
      // its own, never a spare); every other task takes a spare as in a plain run.
      spares: o.env.STEPWISE_TASK_SPARES !== '0',
    });
  try {
    // Not under the debugger: its first task may well start under the inspector (a process of its
    // own), and a spare starting beside it would only slow the F5 to its breakpoint.
    if (launcher.warm && remote.length < graph.steps.length && !o.inspector) {
      // The first task's process or host starts while the flow compiles and the run is recorded.
      launcher.warm({ env: taskEnv(o.env, store), cwd: o.cwd, runtime: await pinTaskRuntime(runtimeCacheDir(store)) });
    }
    // The process the CLI's boot started for the first task, if warm() did not take it.
    dropEarlyProcess();
    return await prepareRun(o, { file, graph, warnings, store, launcher, maxWorkers });
  } catch (err) {
    dropEarlyProcess();
    launcher.close?.();
    throw err;
  }
}

interface Prepared {
  file: string;
  graph: FlowGraph;
  warnings: string[];
  store: Datastore;
  launcher: TaskLauncher;
  maxWorkers: number;
}

async function prepareRun(o: SessionOptions, { file, graph, warnings, store, launcher, maxWorkers }: Prepared): Promise<PreparedSession> {
  const flow = graph.flowName!;
  let maxNumSplits = o.maxNumSplits ?? DEFAULT_MAX_NUM_SPLITS;
  const user = username(o.env);
  // As in Metaflow, every command that starts a run (resume and spin too) takes its branch from
  // its own options: a resume of a --production run without --production is on the user's branch.
  const paramFlags = new Map(o.paramFlags ?? []);
  const project = projectFor(graph, takeProjectFlags(graph, paramFlags), user);

  let parameters: ParameterRecord[];
  let originRunId: string | null = null;
  let clone: ClonePlan | undefined;
  let tags = [...(o.tags ?? [])];
  for (const t of tags) {
    const problem = userTagProblem(t);
    if (problem) throw new UsageError(`--tag ${t}: ${problem}`);
  }
  let single: SchedulerOptions['single'];
  let compiled: Awaited<ReturnType<typeof compileFlow>> | undefined;
  let withText = [...(o.withDecorators ?? [])];
  if (o.kind === 'resume') {
    if (paramFlags.size) {
      const names = [...paramFlags.keys()].map((n) => `--${n}`).join(', ');
      throw new UsageError(
        `resume keeps the parameters of the origin run, so ${names} cannot be given. To change them, start a new run with \`stepwise run\`.`,
      );
    }
    const runs = await store.listRuns(flow);
    originRunId = o.originRunId ?? (await latestFinishedRun(store, flow, runs, user)) ?? null;
    if (!originRunId) {
      throw new UsageError(
        `no finished run of ${flow} by ${user} to resume in ${store.location}. Start one with \`stepwise run ${o.file}\`, or name another user's run with --origin-run-id.`,
      );
    }
    if (!runs.includes(originRunId)) {
      throw new UsageError(
        `run ${flow}/${originRunId} does not exist in ${store.location}. Recent runs: ${runs.slice(0, 5).join(', ') || '(none)'}.`,
      );
    }
    if (o.resumeStep && !graph.steps.some((s) => s.name === o.resumeStep)) {
      throw new UsageError(`${flow} has no step '${o.resumeStep}'. Steps: ${graph.steps.map((s) => s.name).join(', ')}.`);
    }
    const origin = await store.readRun(flow, originRunId);
    if (runState(origin, await store.readRunEnd(flow, originRunId)).status === 'running') {
      throw new UsageError(
        `run ${flow}/${originRunId} is still running (runner pid ${origin.runner.pid} on ${origin.runner.host}): ` +
          `resume it once it has finished, or stop it first (Ctrl-C in its terminal).`,
      );
    }
    parameters = origin.parameters;
    // The origin was allowed its fan-out; resuming it must not trip over the default limit.
    maxNumSplits = o.maxNumSplits ?? origin.maxNumSplits ?? DEFAULT_MAX_NUM_SPLITS;
    tags = [...new Set([...origin.tags, ...tags])];
    // Where the origin's tasks ran (`--with slurm`) is not kept: a remote failure is resumed here,
    // to debug it, unless this resume asks for the cluster again.
    const kept = (origin.with ?? []).filter((t) => !DECORATORS[parseWithOption(t).name].placement);
    withText = [...new Set([...kept, ...withText])];
    clone = await ClonePlan.load(store, flow, originRunId, graph, o.resumeStep ?? null);
  } else if (o.kind === 'spin') {
    // `run/step/task` names a task of this file's flow (as the debugger's launch configuration may).
    const spun = parseTaskPathspec(o.spinTask ?? '') ?? parseTaskPathspec(`${flow}/${o.spinTask ?? ''}`);
    if (!spun) throw new UsageError(`spin needs a task pathspec (Flow/run/step/task), not '${o.spinTask ?? ''}'.`);
    if (spun.flow !== flow) throw new UsageError(`the task ${o.spinTask} is of the flow ${spun.flow}, but ${file} holds the flow ${flow}.`);
    const { runId, step, taskId } = spun;
    const origin = await store.readTask(flow, runId, step, taskId);
    if (!origin) throw new UsageError(`task ${o.spinTask} has not finished; spin needs a finished task whose inputs it can reuse.`);
    originRunId = runId;
    parameters = (await store.readRun(flow, runId)).parameters;
    single = {
      step,
      parents: origin.parents,
      stack: origin.stack,
      passes: origin.passes,
      isJoin: flowStructure(graph).joins.has(step),
      stackRunId: runId,
    };
  } else {
    const resolved = resolveParameters(graph.parameters, paramFlags, o.env, o.cwd);
    compiled = await compileFlow(file, store.codeCacheDir);
    // Computed by the runtime the run's tasks will start from (pinned once per process and store).
    const { entry } = await pinTaskRuntime(runtimeCacheDir(store));
    await computeFunctionDefaults(resolved, {
      bundle: compiled.bundle,
      flowFile: file,
      flow,
      user,
      project,
      env: o.env,
      cwd: o.cwd,
      entry,
    });
    parameters = [];
    for (const r of resolved) {
      const rec: ParameterRecord = { name: r.node.name, field: r.node.field, kind: r.node.declaration, value: r.value, source: r.source };
      if (r.content !== undefined) {
        const bytes = serializeArtifact(r.content, `--${r.node.name}`);
        rec.hash = hashBytes(bytes);
        await store.putBlob(flow, rec.hash, bytes);
      }
      parameters.push(rec);
    }
  }

  const withs = withDecorators(withText);
  await launcher.prepare?.(store);
  compiled ??= await compileFlow(file, store.codeCacheDir);
  // Every task of this run starts from the runtime as it is now, whatever is rebuilt meanwhile.
  const runtime = await pinTaskRuntime(runtimeCacheDir(store));
  // The code package goes into the store, so that a task on any machine can load this code.
  await store.putCodePackage(flow, compiled.hash, compiled.bundle);
  const run = await store.createRun({
    layout: LAYOUT_VERSION,
    flow,
    file,
    kind: o.kind,
    originRunId,
    resumeStep: o.resumeStep ?? null,
    parameters,
    tags,
    user,
    systemTags: systemTagsFor(user, project),
    startedAt: new Date().toISOString(),
    runner: { pid: process.pid, host: hostname() },
    maxWorkers,
    maxNumSplits,
    codeHash: compiled.hash,
    stepwiseVersion: packageVersion(),
    ...(withText.length ? { with: withText } : {}),
    ...(project ? { project } : {}),
  });
  const scheduler = new Scheduler({
    store,
    run,
    graph,
    bundle: compiled.bundle,
    codeHash: compiled.hash,
    flowFile: file,
    maxWorkers,
    maxNumSplits,
    inspector: o.inspector ?? false,
    ...(o.inspectTask ? { inspectTask: o.inspectTask } : {}),
    launcher,
    runtime,
    clone,
    single,
    env: o.env,
    cwd: o.cwd,
    withDecorators: withs,
  });
  return { store, run, graph, scheduler, warnings, runtime, sources: compiled.sources };
}

/**
 * The user's newest run that has finished (or whose runner died) and is a real run or resume: a
 * run still going is no origin (its tasks are still being written), and spins are side
 * experiments. Only the user's own runs, as Metaflow's resume takes the latest run *you* started
 * (its namespace `user:<you>`): someone else's run in a shared datastore is never the default.
 */
async function latestFinishedRun(store: Datastore, flow: string, runs: string[], user: string): Promise<string | undefined> {
  for (const id of runs) {
    const rec = await store.readRun(flow, id).catch(() => undefined);
    if (!rec || rec.kind === 'spin' || !systemTagsOf(rec).includes(`user:${user}`)) continue;
    const end = await store.readRunEnd(flow, id).catch(() => undefined);
    if (runState(rec, end).status !== 'running') return id;
  }
  return undefined;
}

/** The partition of each step that runs on Slurm (`@slurm`, or `--with slurm`); none under the debugger, which runs tasks here. */
function slurmSteps(graph: FlowGraph, withs: WithDecorator[], o: SessionOptions): Array<string | undefined> {
  if (o.inspector) return [];
  const spun = o.kind === 'spin' ? parseTaskPathspec(o.spinTask ?? '') : undefined;
  const steps = spun ? graph.steps.filter((s) => s.name === spun.step) : graph.steps;
  return steps.flatMap((s) => {
    const p = stepPolicy(s, withs).slurm;
    return p ? [p.partition] : [];
  });
}

/** `--with` values → decorators; a later one of the same name wins (resume: the new over the origin's). */
function withDecorators(texts: string[]): WithDecorator[] {
  const byName = new Map<string, WithDecorator>();
  for (const t of texts) {
    const d = parseWithOption(t);
    byName.set(d.name, d);
  }
  return [...byName.values()];
}
