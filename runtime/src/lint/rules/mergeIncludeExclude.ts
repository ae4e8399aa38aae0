import { code } from '../text';
import { defineRule } from '../rule';

export const mergeIncludeExclude = defineRule(
  {
    code: 'SW022',
    name: 'merge-include-exclude',
    severity: 'error',
    description:
      '`this.mergeArtifacts(inputs, { include, exclude })` gives one of `include` and `exclude`, not both (they are mutually exclusive).',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      const m = s.merge;
      if (!m?.include?.length || !m.exclude?.length) continue;
      report(
        m.range,
        `${code(s.name)} calls mergeArtifacts with both \`include\` and \`exclude\`, which are mutually exclusive (the run fails there, as in Metaflow). Keep \`include\` to merge only the artifacts it names, or \`exclude\` to merge all but those.`,
        { data: { step: s.name, include: m.include, exclude: m.exclude } },
      );
    }
  },
);
