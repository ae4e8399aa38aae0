/**
 * `input`, `index` and `foreachStack()` — for a running step (TaskHost) and for each of a join's
 * `inputs[k]` (BranchHost) — under one rule: they are the item (and position) of the innermost
 * foreach the task runs in. There is none outside every foreach and after a top-level static
 * split; and a join that closes a foreach — top-level or nested in another — has none of its
 * own either: the items meet there, each one `inputs[k].input`. Reading one where there is none
 * throws, saying where the value is instead (never `undefined`).
 */
import type { ForeachFrame, StepHost } from '../api/flowspec';
import type { ForeachStack } from './foreach';

export abstract class ForeachValues {
  constructor(
    protected readonly foreach: ForeachStack,
    /** `this.input` for a step, `inputs[2].input` for a branch: how messages name the property. */
    private readonly subject: (what: 'input' | 'index') => string,
  ) {}

  /** Why there is no item here, or undefined when there is one. */
  protected abstract missing(what: 'input' | 'index'): string | undefined;

  get input(): unknown {
    this.assertItem('input');
    return this.foreach.item(this.foreach.depth - 1);
  }

  get index(): number {
    this.assertItem('index');
    return this.foreach.innermost!.index;
  }

  foreachStack(): ForeachFrame[] {
    return this.foreach.frameList();
  }

  private assertItem(what: 'input' | 'index'): void {
    const why = this.missing(what);
    if (why) throw new Error(`${this.subject(what)} is not defined here: ${why}`);
  }
}

/** Why a step has no `input`: it is the join of a foreach, or it is in none. */
export function stepMissingItem(step: string, foreach: ForeachStack, closesForeachOf: string | undefined): string | undefined {
  if (closesForeachOf !== undefined) {
    return (
      `'${step}' is the join of the foreach split in '${closesForeachOf}', where its items come together. ` +
      `Each branch's item is inputs[k].input (its position inputs[k].index); this.foreachStack() lists the foreaches '${step}' is still inside.`
    );
  }
  if (foreach.depth === 0) return `step '${step}' is not inside a foreach.`;
  return undefined;
}

/** The host of a join's `inputs[k]`: that branch's foreach values; it never acts. */
export class BranchHost extends ForeachValues implements StepHost {
  constructor(
    private readonly k: number,
    private readonly branchStep: string,
    foreach: ForeachStack,
  ) {
    super(foreach, (what) => `inputs[${k}].${what}`);
  }

  protected missing(): string | undefined {
    if (this.foreach.depth > 0) return undefined;
    return (
      `branch '${this.branchStep}' comes from a static split, not a foreach, so it has no foreach item. ` +
      `Tell branches apart by step (inputs.${this.branchStep}) or by an artifact they set.`
    );
  }

  next(): never {
    throw new Error(`inputs[${this.k}] is a read-only view of branch '${this.branchStep}': call this.next(...) on the join itself.`);
  }

  mergeArtifacts(): never {
    throw new Error(
      `inputs[${this.k}] is a read-only view of branch '${this.branchStep}': call this.mergeArtifacts(inputs) on the join itself.`,
    );
  }
}
