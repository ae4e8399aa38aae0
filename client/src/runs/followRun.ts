/**
 * A run started in a terminal (its CLI prints for a person, not JSON events), followed in its
 * datastore: found by its file and start time, then re-read on each
 * change of the datastore's feed until it ends. Its progress goes into the same RunProgress a
 * background run's events feed.
 */
import { Flow, type RunClient } from '../../../runtime/src/client';
import type { RunStateService } from '../state/service';
import type { RunProgress } from './progress';

/** The pace at which the feed re-reads a followed run while it runs. */
const FOLLOW_INTERVAL_MS = 500;
/** How long a run is still followed after its shell command ended (its end record is on the way). */
const AFTER_END_MS = 10_000;

export interface FollowedRun {
  file: string;
  /** Where the CLI runs (the datastore is found from there). */
  cwd: string;
  command: 'run' | 'resume';
  /** When it was started (ms): the run found is one created since. */
  since: number;
  /** Settles when the shell command is over. */
  ended: Promise<void>;
  cancel: () => void;
}

/** Follows the run until it has finished (or its command ended without one); resolves with its last reading. */
export async function followInDatastore(
  state: RunStateService,
  root: string,
  t: FollowedRun,
  progress: RunProgress,
  found: (run: RunClient) => void,
): Promise<RunClient | undefined> {
  let endedAt: number | undefined;
  void t.ended.then(() => (endedAt = Date.now()));
  let wake: (() => void) | undefined;
  const feed = state.subscribe(root, { on: () => wake?.(), every: () => FOLLOW_INTERVAL_MS });
  let run: RunClient | undefined;
  try {
    for (;;) {
      const known = run ?? (await state.reads.findRun(root, t.file, t.since).catch(() => undefined));
      // Re-read the record each time: its end appears when the run is over.
      const first = !run && known;
      run = known
        ? await Flow(known.flowName, { root })
            .run(known.id)
            .catch(() => known)
        : undefined;
      if (run) {
        if (first) found(run);
        const overlay = await state.reads.runOverlay(root, run.flowName, run.id).catch(() => undefined);
        const startedAt = run.createdAt.getTime();
        if (overlay) progress.observe({ runId: run.id, flow: run.flowName, file: run.file, startedAt }, overlay);
        if (run.finished) return run;
      }
      // The command ended: the run (if it started) is over or about to be.
      if (endedAt !== undefined && (!run || Date.now() - endedAt > AFTER_END_MS)) return run;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    feed.dispose();
  }
}
