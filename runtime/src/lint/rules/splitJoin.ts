import { code, list } from '../text';
import { defineRule } from '../rule';

export const unjoinedSplit = defineRule(
  { code: 'SW009', name: 'unjoined-split', severity: 'error', description: 'Every split and foreach is closed by a join before `end`.' },
  ({ analysis, report }) => {
    for (const { split, reachedBy } of analysis.structure.unjoined) {
      const isForeach = split.foreachRange !== undefined;
      const what = isForeach ? 'foreach' : 'split';
      const branches = list(split.successors);
      const fix = isForeach
        ? `Add a join step that takes \`inputs\` after ${branches} and goes to the next step.`
        : `Add a join step that takes \`inputs\`, send ${branches} to it, and go on from there.`;
      report(
        split.nextRange ?? split.nameRange,
        `The ${what} in ${code(split.name)} is never joined: its branches reach \`end\`${reachedBy.length ? ` (from ${list(reachedBy)})` : ''} without a join step, and \`end\` takes no inputs. ${fix}`,
        {
          data: { split: split.name, branches: split.successors },
          related: reachedBy.map((name) => ({ message: `${code(name)} goes on to \`end\` without a join`, range: analysis.byName.get(name)!.nextRange ?? analysis.byName.get(name)!.nameRange })),
        },
      );
    }
  },
);

export const crossedJoin = defineRule(
  { code: 'SW010', name: 'crossed-join', severity: 'error', description: 'A join joins the branches of one split only (splits and joins nest like parentheses).' },
  ({ analysis, report }) => {
    for (const { join, branches } of analysis.structure.crossed) {
      const parts = branches.map((b) => `${code(b.pred)} from the split in ${code(b.split)}`).join(', ');
      const splits = [...new Set(branches.map((b) => b.split))];
      const inner = branches.reduce((a, b) => (b.depth > a.depth ? b : a)).split;
      report(
        join.nameRange,
        `${code(join.name)} joins branches of ${splits.length} different splits (${parts}). Splits and joins nest like parentheses: join the branches of ${code(inner)} in their own join step first, then join that with the rest.`,
        {
          data: { join: join.name, branches },
          related: splits.map((name) => {
            const s = analysis.byName.get(name)!;
            return { message: `the split in ${code(name)}`, range: s.nextRange ?? s.nameRange };
          }),
        },
      );
    }
  },
);

export const joinWithoutInputs = defineRule(
  { code: 'SW011', name: 'join-without-inputs', severity: 'error', description: 'A step where branches meet takes `inputs` (it is a join).' },
  ({ flowName, analysis, report }) => {
    const unjoinedAtEnd = analysis.structure.unjoined.length > 0;
    for (const s of analysis.order) {
      const inc = analysis.incoming.get(s.name) ?? [];
      if (s.takesInputs || inc.length < 2) continue;
      const preds = inc.map((p) => p.name);
      if (s.name === 'end') {
        if (unjoinedAtEnd) continue; // reported at the split that is not joined
        report(s.nameRange, `\`end\` receives ${preds.length} branches (${list(preds)}) but cannot be a join: join them in a step that takes \`inputs\`, and go from there to \`end\`.`, {
          data: { step: s.name, branches: preds },
        });
        continue;
      }
      const text = `inputs: Inputs<${flowName}>`;
      report(
        s.nameRange,
        `${code(s.name)} receives ${preds.length} branches (${list(preds)}) but takes no \`inputs\`: a step where branches meet is a join. Declare it as \`${s.name}(${text})\` (import \`type Inputs\` from 'stepwise').`,
        { data: { flowName, step: s.name, insertAt: s.parametersRange.start, text, branches: preds } },
      );
    }
  },
);

export const inputsOnNonJoin = defineRule(
  { code: 'SW012', name: 'inputs-on-non-join', severity: 'error', description: 'Only a join takes `inputs`: never `start` or `end`, nor a step with no split open before it.' },
  ({ graph, analysis, report }) => {
    const noSplit = new Set(analysis.structure.joinWithoutSplit.map((s) => s.name));
    for (const s of graph.steps) {
      if (!s.takesInputs) continue;
      let why: string | undefined;
      if (s.name === 'start') why = '`start` runs first, with nothing to join';
      else if (s.name === 'end') why = '`end` cannot be a join; join the branches in a step before it';
      else if (noSplit.has(s.name)) why = `no split is open before ${code(s.name)}, so there are no branches to join`;
      if (!why) continue;
      report(s.parametersRange, `${code(s.name)} takes \`inputs\` but is not a join: ${why}. Remove the parameter.`, {
        data: { step: s.name, remove: s.parametersRange },
      });
    }
  },
);
