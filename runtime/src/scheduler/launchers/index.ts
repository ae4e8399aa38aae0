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

export const SLURM_HELP = `  --slurm-partition P  the partition of @slurm tasks that name none (default:
                       STEPWISE_SLURM_PARTITION, else the cluster's default partition)`;

export interface PlacementOptions {
  /** The partition each `@slurm` step names (undefined: the run's default); empty: no step runs on Slurm. */
  slurmSteps: Array<string | undefined>;
  /** `--slurm-partition`. */
  partition?: string;
  env: NodeJS.ProcessEnv;
}

class PlacingLauncher implements TaskLauncher {
  private readonly local = new LocalProcessLauncher();

  constructor(
    private readonly slurm: SlurmLauncher,
    private readonly partitions: Array<string | undefined>,
  ) {}

  prepare(store: Datastore): Promise<void> {
    return this.slurm.prepare(store, this.partitions);
  }

  launch(spec: TaskSpec, options: LaunchOptions): Promise<LaunchedTask> {
    return spec.slurm ? this.slurm.launch(spec, options) : this.local.launch(spec, options);
  }
}

/** The run's launcher: local processes, plus Slurm jobs for the `@slurm` steps when there are any. */
export function launcherFor(o: PlacementOptions): TaskLauncher {
  if (!o.slurmSteps.length) {
    if (o.partition) throw new UsageError(`--slurm-partition ${o.partition} needs --with slurm (or @slurm on a step).`);
    return new LocalProcessLauncher();
  }
  const slurm = new SlurmLauncher({ env: o.env, partition: o.partition });
  return new PlacingLauncher(slurm, [...new Set(o.slurmSteps.map((p) => p ?? slurm.partition))]);
}
