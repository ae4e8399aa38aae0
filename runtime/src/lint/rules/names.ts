import { RESERVED_NAMES } from '../../graph/names';
import type { ArtifactRef } from '../../graph/types';
import { code } from '../text';
import { defineRule } from '../rule';

const ROLE: Record<string, string> = {
  next: 'this.next(...) names the next steps',
  input: 'this.input is the foreach item',
  index: 'this.index is the foreach position',
  inputs: '`inputs` is what a join receives',
  mergeArtifacts: 'this.mergeArtifacts(...) merges a join\'s branches',
  foreach: '`foreach` names the list of a foreach split',
};

export const reservedName = defineRule(
  { code: 'SW015', name: 'reserved-name', severity: 'error', description: 'Steps, parameters and artifacts do not use names reserved by the flow API (`next`, `input`, `index`, `inputs`, `mergeArtifacts`, `foreach`).' },
  ({ graph, report }) => {
    const seen = new Set<string>();
    const check = (what: string, ref: ArtifactRef) => {
      if (!RESERVED_NAMES.has(ref.name)) return;
      const key = `${ref.range.start.line}:${ref.range.start.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      report(ref.range, `${code(ref.name)} is reserved (${ROLE[ref.name]}) and cannot be ${what}: rename it.`, { data: { name: ref.name } });
    };
    for (const s of graph.steps) check('a step name', { name: s.name, range: s.nameRange });
    for (const p of graph.parameters) check('a parameter field', { name: p.field, range: p.range });
    for (const f of graph.fields) check('an artifact', f);
    for (const s of graph.steps) for (const a of s.assigns) check('an artifact', a);
  },
);

export const duplicateParameter = defineRule(
  { code: 'SW016', name: 'duplicate-parameter', severity: 'error', description: "Parameter names (the `--name` on the command line) are unique, and a parameter's field is not also a step name." },
  ({ graph, report }) => {
    const first = new Map<string, { name: string; nameRange: ArtifactRef['range']; field: string }>();
    for (const p of graph.parameters) {
      const prev = first.get(p.name);
      if (prev) {
        report(p.nameRange, `Parameter name ${code(p.name)} is already used by the field ${code(prev.field)}: each parameter needs its own \`--${p.name}\`. Rename one of them.`, {
          data: { name: p.name },
          related: [{ message: `${code(p.name)} first declared here`, range: prev.nameRange }],
        });
      } else {
        first.set(p.name, p);
      }
    }
    const steps = new Set(graph.steps.map((s) => s.name));
    for (const p of graph.parameters) {
      if (steps.has(p.field)) {
        report(p.range, `The parameter field ${code(p.field)} has the name of a step: rename the field.`, { data: { name: p.field } });
      }
    }
  },
);

export const duplicateStep = defineRule(
  { code: 'SW018', name: 'duplicate-step', severity: 'error', description: 'Each step name is declared once.' },
  ({ graph, analysis, report }) => {
    for (const s of graph.steps) {
      const first = analysis.byName.get(s.name)!;
      if (first === s) continue;
      report(s.nameRange, `Step ${code(s.name)} is declared twice: the later method replaces the first. Rename or remove one.`, {
        data: { step: s.name },
        related: [{ message: `${code(s.name)} first declared here`, range: first.nameRange }],
      });
    }
  },
);

const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const SNAKE = /^[a-z][a-z0-9_]*$/;

export const stepNameStyle = defineRule(
  { code: 'SW020', name: 'step-name-style', severity: 'warning', description: 'Step names are lowerCamelCase or snake_case (they become path segments and CLI arguments).' },
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

export const parameterAssigned = defineRule(
  { code: 'SW021', name: 'parameter-assigned', severity: 'error', description: 'Steps do not assign parameters or IncludeFiles (their values are fixed for the run).' },
  ({ graph, report }) => {
    const params = new Map(graph.parameters.map((p) => [p.field, p]));
    for (const s of graph.steps) {
      for (const a of s.assigns) {
        const p = params.get(a.name);
        if (!p) continue;
        report(a.range, `${code(s.name)} assigns ${code(a.name)}, a ${p.declaration === 'includeFile' ? 'IncludeFile' : 'Parameter'}: its value is fixed for the run (and kept by resume). Store the new value in another artifact.`, {
          data: { step: s.name, artifact: a.name },
          related: [{ message: `${code(a.name)} is declared here`, range: p.range }],
        });
      }
    }
  },
);
