/**
 * Where each task runs. `@slurm` (on the step, or put on every step by `run --with slurm`) makes
 * the task a Slurm job; every other task is a local process. The choice is per task, from the
 * TaskSpec the scheduler builds out of the step's policy, so one run may mix both (as Metaflow's
 * `@batch` on some steps does).
 */
import type { Datastore } from '../../datastore/datastore';
import { UsageError } from '../../errors';
import type { TaskSpec } from '../../task/spec';
import type { LaunchedTask, LaunchOptions, TaskLauncher } from '../launcher';
import { LocalProcessLauncher } from './process';
import { SlurmLauncher } from './slurm';
import { ThreadLauncher } from './thread';

export const SLURM_HELP = `  --slurm-partition P  the partition of @slurm tasks that name none (default:
                       STEPWISE_SLURM_PARTITION, else the cluster's default partition)`;

export const TASK_ISOLATION_HELP = `  --task-isolation process|thread
                       each task as its own process (the default), or in a fresh worker
                       thread of a pooled task host (faster for many small tasks); default:
                       STEPWISE_TASK_ISOLATION. Under the debugger, tasks are processes.`;

/** How local tasks are isolated from each other: a process each, or a fresh context in a task host's thread. */
export type TaskIsolation = 'process' | 'thread';
export const TASK_ISOLATIONS: readonly TaskIsolation[] = ['process', 'thread'];

/** `--task-isolation`, else STEPWISE_TASK_ISOLATION, else process. */
export function taskIsolationOf(given: string | undefined, env: NodeJS.ProcessEnv): TaskIsolation {
  const [value, from] = given !== undefined ? [given, '--task-isolation'] : [env.STEPWISE_TASK_ISOLATION, 'STEPWISE_TASK_ISOLATION'];
  if (value === undefined || value === '') return 'process';
  if ((TASK_ISOLATIONS as readonly string[]).includes(value)) return value as TaskIsolation;
  throw new UsageError(`${from} ${value}: expected process or thread.`);
}

export interface PlacementOptions {
  /** The partition each `@slurm` step names (undefined: the run's default); empty: no step runs on Slurm. */
  slurmSteps: Array<string | undefined>;
  /** `--slurm-partition`. */
  partition?: string;
  env: NodeJS.ProcessEnv;
  /** How local tasks are isolated (the debugger's tasks are processes in any case). */
  isolation: TaskIsolation;
  /** `--max-workers`: the size of the task host pool. */
  maxWorkers: number;
  /**
   * Task processes are started one ahead (launchers/process.ts); not under the debugger, whose
   * tasks start exactly as they always have, nor with STEPWISE_TASK_SPARES=0.
   */
  spares: boolean;
}

class PlacingLauncher implements TaskLauncher {
  constructor(
    private readonly local: TaskLauncher,
    private readonly slurm: SlurmLauncher,
    private readonly partitions: Array<string | undefined>,
  ) {}

  prepare(store: Datastore): Promise<void> {
    return this.slurm.prepare(store, this.partitions);
  }

  launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask> {
    return spec.slurm ? this.slurm.launch(spec, options) : this.local.launch(spec, options);
  }

  warm(options: LaunchOptions): void {
    this.local.warm?.(options);
  }

  close(): void {
    this.local.close?.();
  }
}

/** The run's launcher: local processes, plus Slurm jobs for the `@slurm` steps when there are any. */
export function launcherFor(o: PlacementOptions): TaskLauncher {
  if (!o.slurmSteps.length) {
    if (o.partition) throw new UsageError(`--slurm-partition ${o.partition} needs --with slurm (or @slurm on a step).`);
    return localLauncher(o);
  }
  const slurm = new SlurmLauncher({ env: o.env, partition: o.partition });
  return new PlacingLauncher(localLauncher(o), slurm, [...new Set(o.slurmSteps.map((p) => p ?? slurm.partition))]);
}

function localLauncher(o: PlacementOptions): TaskLauncher {
  const processes = new LocalProcessLauncher(o.spares);
  return o.isolation === 'thread' ? new ThreadLauncher(hostCount(o), processes) : processes;
}

/**
 * How many task hosts: one per worker slot, so a host runs one task at a time (a host that dies
 * takes one task with it). STEPWISE_TASK_HOSTS=N asks for fewer, each then running several
 * threads at once (less memory).
 */
function hostCount(o: PlacementOptions): number {
  const given = o.env.STEPWISE_TASK_HOSTS;
  if (given === undefined || given === '') return o.maxWorkers;
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`STEPWISE_TASK_HOSTS ${given}: expected a whole number of task hosts, at least 1.`);
  return Math.min(n, o.maxWorkers);
}
