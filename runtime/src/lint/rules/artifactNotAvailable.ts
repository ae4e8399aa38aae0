import type { ArtifactRef, StepNode } from '../../graph/types';
import { comparePositions } from '../../graph/range';
import type { FlowStructure } from '../../graph/structure';
import type { DataFlow } from '../dataFlow';
import { code } from '../text';
import { defineRule, type RuleContext } from '../rule';

/**
 * An artifact read in a step must be assigned on every path into it. A join starts with none
 * of its branches' artifacts: only what it assigns or merges leaves it, so the rule names the
 * join that drops an artifact a later step reads.
 */
export const artifactNotAvailable = defineRule(
  {
    code: 'SW017',
    name: 'artifact-not-available',
    severity: 'warning',
    description: 'An artifact read in a step is assigned on every path into it; a join that drops it is named.',
  },
  (ctx) => {
    for (const s of ctx.structure.order) {
      for (const read of s.upstreamReads) check(ctx, s, read);
    }
  },
);

function check(ctx: RuleContext, s: StepNode, read: ArtifactRef): void {
  const { structure, dataFlow: data, report } = ctx;
  const x = read.name;
  if (data.base.has(x)) return;
  const inc = structure.incoming.get(s.name) ?? [];
  if (s.takesInputs) {
    if (data.carried.get(s.name)?.has(x)) {
      if (!s.merge || comparePositions(read.range.start, s.merge.range.start) >= 0) return;
      report(
        read.range,
        `${code(s.name)} reads ${code(x)} before its this.mergeArtifacts(...) call brings it over: move the read after the call, or read it from \`inputs\`.`,
        {
          data: { artifact: x, step: s.name },
          related: [{ message: 'mergeArtifacts is called here', range: s.merge.range }],
        },
      );
      return;
    }
    if (inc.some((p) => data.maybeOut.get(p.name)?.has(x))) {
      report(
        read.range,
        `${code(s.name)} reads ${code(x)}, but a join starts without its branches' artifacts. Read it from \`inputs\` (e.g. \`inputs[0].${x}\`), assign \`this.${x}\` first, or call \`this.mergeArtifacts(inputs)\` before reading it.`,
        { data: { artifact: x, step: s.name, join: s.name } },
      );
      return;
    }
    report(read.range, neverAssigned(s, x), { data: { artifact: x, step: s.name } });
    return;
  }
  if (data.defIn.get(s.name)?.has(x)) return;

  const join = droppingJoin(structure, data, s, x);
  if (join) {
    const how = dropReason(join, x);
    report(read.range, `${code(s.name)} reads ${code(x)}, dropped at the join ${code(join.name)}: ${how.why} ${how.fix}`, {
      data: { artifact: x, step: s.name, join: join.name },
      related: [{ message: `the join ${code(join.name)} drops ${code(x)}`, range: join.merge?.range ?? join.nameRange }],
    });
    return;
  }
  if (!data.maybeIn.get(s.name)?.has(x)) {
    report(read.range, neverAssigned(s, x), { data: { artifact: x, step: s.name } });
    return;
  }
  const missing = inc.filter((p) => !data.defOut.get(p.name)?.has(x)).map((p) => p.name);
  report(
    read.range,
    `${code(s.name)} reads ${code(x)}, which is not assigned on every path into it (not on the path through ${missing.map(code).join(', ')}). Assign \`this.${x}\` on every path, or upstream of the split.`,
    { data: { artifact: x, step: s.name, paths: missing } },
  );
}

function neverAssigned(s: StepNode, x: string): string {
  return `${code(s.name)} reads ${code(x)}, which no step before it assigns. Assign \`this.${x}\` in ${code(s.name)} or upstream (e.g. in \`start\`), or declare it as a Parameter.`;
}

/** The nearest join upstream that had `x` on one of its branches and let it go. */
function droppingJoin(structure: FlowStructure, data: DataFlow, s: StepNode, x: string): StepNode | undefined {
  const seen = new Set<string>([s.name]);
  let frontier = structure.incoming.get(s.name) ?? [];
  while (frontier.length) {
    const next: StepNode[] = [];
    for (const p of frontier) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      if (data.defOut.get(p.name)?.has(x)) continue;
      // A join whose branches had it dropped it; otherwise an earlier join may have.
      if (p.takesInputs && (structure.incoming.get(p.name) ?? []).some((q) => data.maybeOut.get(q.name)?.has(x))) return p;
      next.push(...(structure.incoming.get(p.name) ?? []));
    }
    frontier = next;
  }
  return undefined;
}

function dropReason(join: StepNode, x: string): { why: string; fix: string } {
  const assign = `assign it in ${code(join.name)} (e.g. \`this.${x} = inputs[0].${x}\`)`;
  if (join.merge?.exclude?.includes(x)) {
    return { why: `its this.mergeArtifacts(...) call excludes it.`, fix: `Remove ${code(x)} from \`exclude\`, or ${assign}.` };
  }
  if (join.merge?.include) {
    return {
      why: `it is not in the \`include\` list of its this.mergeArtifacts(...) call.`,
      fix: `Add ${code(x)} to \`include\`, or ${assign}.`,
    };
  }
  return {
    why: `a join starts without its branches' artifacts and ${code(join.name)} neither assigns nor merges it.`,
    fix: `Assign it there (e.g. \`this.${x} = inputs[0].${x}\`) or call \`this.mergeArtifacts(inputs)\` in ${code(join.name)}.`,
  };
}
