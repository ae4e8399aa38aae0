/** `stepwise check FILE`: lint a flow without running it. */
import { lintFlow, type FlowDiagnostic } from '../../lint';
import { parseOptions } from '../args';
import { EXIT_OK, EXIT_USAGE, type Command } from '../command';
import { readOnlyFlowArgument } from '../flowFile';
import { missingPackageDiagnostics } from '../../compile/packages';
import { byPosition } from '../../lint/text';

const help = `Usage: stepwise check FILE [--json]

Checks a flow's structure and data flow without running it (the same rules as the editor).
Prints one line per problem: file:line:col  severity  code  message.

Options:
  --json      Print {file, flowName, errors, warnings, diagnostics} as JSON (0-based ranges).
  -h, --help  Show this help.

Exit codes: 0 no errors (warnings may be printed), 2 errors or a usage problem.
Rules: docs/LINT_RULES.md.`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function formatDiagnostic(file: string, d: FlowDiagnostic): string {
  const at = (r: FlowDiagnostic['range']) => `${file}:${r.start.line + 1}:${r.start.character + 1}`;
  const lines = [`${at(d.range)}  ${d.severity.padEnd(7)}  ${d.code}  ${d.message}`];
  for (const r of d.related ?? []) lines.push(`    ${at(r.range)}  note: ${r.message}`);
  return lines.join('\n');
}

export const check: Command = {
  name: 'check',
  summary: 'Check a flow file for structural and data-flow problems',
  help,
  async run(args, io) {
    const { values, positionals } = parseOptions('check', args, { json: { type: 'boolean' } });
    const { graph, path, text } = readOnlyFlowArgument('check', positionals, io.cwd);
    const file = graph.file ?? positionals[0];
    // The rules of the graph, and whether the packages it imports are installed.
    const diagnostics = [...lintFlow(graph), ...missingPackageDiagnostics(path, text)].sort(byPosition);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
    if (values.json) {
      io.stdout.write(JSON.stringify({ file, flowName: graph.flowName, errors, warnings, diagnostics }, null, 2) + '\n');
    } else {
      for (const d of diagnostics) io.stdout.write(formatDiagnostic(file, d) + '\n');
      const summary =
        diagnostics.length === 0
          ? `${file}: ${graph.flowName} is OK (${plural(graph.steps.length, 'step')}, no problems).`
          : `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${graph.flowName}.`;
      io.stdout.write(summary + '\n');
    }
    return errors > 0 ? EXIT_USAGE : EXIT_OK;
  },
};
