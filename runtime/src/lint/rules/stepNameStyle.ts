import { code } from '../text';
import { defineRule } from '../rule';

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const SNAKE = /^[a-z][a-z0-9_]*$/;

export const stepNameStyle = defineRule(
  {
    code: 'SW020',
    name: 'step-name-style',
    severity: 'warning',
    description: 'Step names are lowerCamelCase or snake_case (they become path segments and CLI arguments).',
  },
  ({ graph, report }) => {
    for (const s of graph.steps) {
      if (CAMEL.test(s.name) || SNAKE.test(s.name)) continue;
      const suggestion = s.name.charAt(0).toLowerCase() + s.name.slice(1).replace(/[^A-Za-z0-9_]/g, '_');
      report(s.nameRange, `Step name ${code(s.name)} is neither lowerCamelCase nor snake_case: rename it, e.g. ${code(suggestion)}.`, {
        data: { step: s.name, preferredName: suggestion },
      });
    }
  },
);
