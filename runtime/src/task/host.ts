/**
 * The StepHost a running step talks to: records `next`, performs `mergeArtifacts`, serves
 * `input`, `index` and `foreachStack()` (foreachValues.ts).
 */
import type { FlowSpec, MergeOptions, StepHost, SwitchChoice } from '../api/flowspec';
import type { TransitionRecord } from '../datastore/types';
import { defineLazy, type ArtifactLoader, type Inherited, type Tracked } from './artifacts';
import type { ForeachStack } from './foreach';
import { ForeachValues, stepMissingItem } from './foreachValues';

export interface InputView {
  step: string;
  artifacts: Record<string, Inherited>;
}

export class TaskHost extends ForeachValues implements StepHost {
  transitions: TransitionRecord[] = [];

  constructor(
    private readonly step: string,
    private readonly loader: ArtifactLoader,
    private readonly tracked: Map<string, Tracked>,
    private readonly joinViews: Map<FlowSpec, InputView> | undefined,
    private readonly parameterFields: Set<string>,
    foreach: ForeachStack,
    /** A foreach join: the step whose foreach split it closes. */
    private readonly closesForeachOf?: string,
  ) {
    super(foreach, (what) => `this.${what}`);
  }

  protected missing(): string | undefined {
    return stepMissingItem(this.step, this.foreach, this.closesForeachOf);
  }

  next(targets: string[], foreach: string | undefined, choice?: SwitchChoice): void {
    this.transitions.push({ next: targets, ...(foreach !== undefined ? { foreach } : {}), ...(choice ? { switch: choice } : {}) });
  }

  mergeArtifacts(flow: FlowSpec, inputs: ReadonlyArray<FlowSpec>, options: MergeOptions): void {
    if (!this.joinViews) throw new Error(`this.mergeArtifacts() can only be called in a join step ('${this.step}' takes no inputs).`);
    const views = inputs.map((inp) => {
      const v = this.joinViews!.get(inp);
      if (!v) throw new Error('this.mergeArtifacts(inputs): pass the `inputs` the join step received.');
      return v;
    });
    if (options.include?.length && options.exclude?.length) {
      throw new Error(
        `mergeArtifacts(inputs, { include, exclude }): include and exclude are mutually exclusive. ` +
          `Pass include to merge only the artifacts it names, or exclude to merge all but those.`,
      );
    }
    const exclude = new Set(options.exclude ?? []);
    const names = new Set<string>();
    for (const v of views) for (const n of Object.keys(v.artifacts)) names.add(n);
    // An empty include means no include (Metaflow's `include or []`), not "merge nothing".
    const include = options.include?.length ? new Set(options.include) : undefined;
    if (include) {
      // As in Metaflow, a name the join has already set (or a parameter) counts as present.
      const setHere = (n: string) => this.parameterFields.has(n) || !!Object.getOwnPropertyDescriptor(flow, n)?.enumerable;
      const missing = [...include].filter((n) => !names.has(n) && !setHere(n));
      if (missing.length) {
        throw new Error(
          `mergeArtifacts(): include names ${missing.map((n) => `'${n}'`).join(', ')}, which no branch has. Branch artifacts: ${[...names].sort().join(', ') || '(none)'}.`,
        );
      }
    }
    // Like Metaflow, every conflict is found before anything is merged: a failed merge leaves
    // the join as it was, so the failed task's stored artifacts are only what the step set.
    const divergent: string[] = [];
    const merged: Array<[string, Inherited]> = [];
    for (const name of names) {
      if (exclude.has(name) || this.parameterFields.has(name)) continue;
      if (include && !include.has(name)) continue;
      const own = Object.getOwnPropertyDescriptor(flow, name);
      if (own && own.enumerable) continue; // assigned in this step before the call: kept
      const carriers = views.filter((v) => v.artifacts[name]);
      const hashes = new Set(carriers.map((v) => v.artifacts[name].hash));
      if (hashes.size > 1) {
        divergent.push(`${name} (${carriers.map((v) => v.step).join(' ≠ ')})`);
        continue;
      }
      merged.push([name, carriers[0].artifacts[name]]);
    }
    if (divergent.length) {
      const names = divergent.map((d) => d.split(' ')[0]);
      throw new Error(
        `mergeArtifacts(): these artifacts have different values on different branches: ${divergent.join(', ')}. ` +
          `Set each of them in the join before calling mergeArtifacts, or leave them out: ` +
          `this.mergeArtifacts(inputs, { exclude: [${names.map((n) => `'${n}'`).join(', ')}] }).`,
      );
    }
    for (const [name, inh] of merged) defineLazy(flow, name, inh, this.loader, this.tracked);
  }
}
