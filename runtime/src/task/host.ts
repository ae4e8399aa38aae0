/** The StepHost a running step talks to: records `next`, performs `mergeArtifacts`, serves `input`. */
import type { FlowSpec, MergeOptions, StepHost, SwitchChoice } from '../api/flowspec';
import type { TransitionRecord } from '../datastore/types';
import { defineLazy, type ArtifactLoader, type Inherited, type Tracked } from './artifacts';

export interface InputView {
  step: string;
  artifacts: Record<string, Inherited>;
}

export class TaskHost implements StepHost {
  transitions: TransitionRecord[] = [];
  private inputValue: { loaded: boolean; value: unknown } = { loaded: false, value: undefined };

  constructor(
    private readonly step: string,
    private readonly loader: ArtifactLoader,
    private readonly tracked: Map<string, Tracked>,
    private readonly joinViews: Map<FlowSpec, InputView> | undefined,
    private readonly parameterFields: Set<string>,
    private readonly foreachItem: (() => unknown) | undefined,
    readonly index: number | undefined,
  ) {}

  get input(): unknown {
    if (!this.foreachItem) throw new Error(`this.input is only defined inside a foreach (step '${this.step}' is not in one).`);
    if (!this.inputValue.loaded) this.inputValue = { loaded: true, value: this.foreachItem() };
    return this.inputValue.value;
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
    const divergent: string[] = [];
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
      defineLazy(flow, name, carriers[0].artifacts[name], this.loader, this.tracked);
    }
    if (divergent.length) {
      const names = divergent.map((d) => d.split(' ')[0]);
      throw new Error(
        `mergeArtifacts(): these artifacts have different values on different branches: ${divergent.join(', ')}. ` +
          `Set each of them in the join before calling mergeArtifacts, or leave them out: ` +
          `this.mergeArtifacts(inputs, { exclude: [${names.map((n) => `'${n}'`).join(', ')}] }).`,
      );
    }
  }
}
