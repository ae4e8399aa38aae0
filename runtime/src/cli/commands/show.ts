/** `stepwise show FILE`: the flow's steps in order, with doc comments and transitions (like Metaflow's `show`). */
import type { FlowGraph, ParameterNode, StepNode } from '../../graph';
import { lintFlow } from '../../lint';
import { flowStructure } from '../../graph/structure';
import { parseOptions } from '../args';
import { EXIT_OK, type Command } from '../command';
import { readOnlyFlowArgument } from '../flowFile';

const help = `Usage: stepwise show FILE [--json]

Shows a flow without running it: its doc comment, parameters, and every step in flow order
with its doc comment and the step(s) it goes to (=> a, b for a split; foreach over a list;
=> key: step | key: step by ARTIFACT for a switch, which runs the one case ARTIFACT's value names;
a case back to an earlier step is a loop, marked "loops back").

Options:
  --json      Print the flow graph (FlowGraph, 0-based ranges) as JSON.
  -h, --help  Show this help.

Exit codes: 0 shown (problems are summarised on stderr; see \`stepwise check\`), 2 usage problem.`;

const INDENT = '    ';

function indent(text: string): string[] {
  return text.split('\n').map((l) => (l ? INDENT + l : ''));
}

function describeParameter(p: ParameterNode): string {
  const facts: string[] = [p.declaration === 'includeFile' ? 'file' : p.type];
  if (p.required) facts.push('required');
  if (p.default !== undefined) facts.push(`default ${JSON.stringify(p.default)}`);
  else if (p.defaultFunction) facts.push(`default computed at run start: ${p.defaultText}`);
  else if (p.defaultText !== undefined) facts.push(`default ${p.defaultText}`);
  return `--${p.name} (${facts.join(', ')})${p.help ? `  ${p.help}` : ''}`;
}

function transitions(s: StepNode, back: Set<string>): string | undefined {
  if (s.successors.length === 0) return undefined;
  if (s.switch) {
    const cases = s.switch.cases.map((c) => `${c.key}: ${c.step ?? c.valueText}${c.step && back.has(c.step) ? ' (loops back)' : ''}`);
    return `=> ${cases.join(' | ')} by ${s.switch.condition ?? '?'}`;
  }
  const targets = s.successors.join(', ');
  if (s.foreachRange !== undefined) return `=> ${targets} (foreach over ${s.foreachVar ?? '?'})`;
  return `=> ${targets}`;
}

export function renderShow(graph: FlowGraph): string {
  const out: string[] = [graph.flowName ?? '(no flow)'];
  if (graph.doc) out.push(...indent(graph.doc));
  if (graph.parameters.length) {
    out.push('', 'Parameters');
    for (const p of graph.parameters) out.push(INDENT + describeParameter(p));
  }
  const structure = flowStructure(graph);
  for (const s of structure.readingOrder) {
    const kind = s.kind === 'join' ? ' (join)' : s.switch && s.name !== 'end' ? ' (switch)' : '';
    out.push('', `Step ${s.name}${kind}`);
    if (s.doc) out.push(...indent(s.doc));
    const back = new Set(structure.backEdges.filter((b) => b.from === s).map((b) => b.to.name));
    const t = transitions(s, back);
    if (t) out.push(INDENT + t);
  }
  return out.join('\n') + '\n';
}

export const show: Command = {
  name: 'show',
  summary: "Show a flow's steps, doc comments and transitions",
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions('show', args, { json: { type: 'boolean' } });
    const { graph } = readOnlyFlowArgument('show', positionals, io.cwd);
    io.stdout.write(values.json ? JSON.stringify(graph, null, 2) + '\n' : renderShow(graph));
    const errors = lintFlow(graph).filter((d) => d.severity === 'error').length;
    if (errors > 0 && !values.json) {
      io.stderr.write(
        `${graph.file}: ${errors} error${errors === 1 ? '' : 's'} in this flow; run \`stepwise check ${graph.file}\` for details.\n`,
      );
    }
    return EXIT_OK;
  },
};
