/**
 * Loop passes: which pass of each loop around a step a task belongs to. A task inherits its
 * parent's pass of every loop they share; going back to a loop's head (a switch's back edge)
 * starts the next pass of that loop; entering a loop starts its first pass. With the split
 * stack, the passes name a task's place in the graph (resume clones by place).
 */
import { loopsAround } from '../graph/loops';
import { edgeKey, type FlowStructure } from '../graph/structure';

export class LoopPasses {
  private readonly back: Set<string>;

  constructor(private readonly structure: FlowStructure) {
    this.back = new Set(structure.backEdges.map((b) => edgeKey(b.from.name, b.to.name)));
  }

  /** The passes of a task of `to` that follows a task of `from` with `fromPasses`. */
  after(from: string, fromPasses: readonly number[], to: string): number[] {
    const loops = this.structure.loops;
    const fromLoops = loopsAround(loops, from);
    const back = this.back.has(edgeKey(from, to));
    return loopsAround(loops, to).map((loop) => {
      const i = fromLoops.indexOf(loop);
      if (i < 0) return 1;
      const pass = fromPasses[i] ?? 1;
      return back && loop.head.name === to ? pass + 1 : pass;
    });
  }

  /** The loops around `step`, by head, outermost first. */
  heads(step: string): string[] {
    return loopsAround(this.structure.loops, step).map((l) => l.head.name);
  }
}

/** `a` is an earlier pass than `b` (both outermost first). */
export function earlierPass(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
