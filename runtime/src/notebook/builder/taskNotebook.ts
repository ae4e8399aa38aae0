/**
 * The notebook for debugging one task, Metaflow's debugging loop in four cells: what happened
 * (markdown), `self` bound to what the step saw, the step's body with `this` as `self`, and —
 * for a task that succeeded — a comparison of what the body produces here with what the task stored.
 */
import { existsSync, readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import type { RunClient } from '../../client/run';
import type { TaskClient } from '../../client/task';
import type { DatastoreSpec } from '../../datastore/spec';
import { parseFlow, type StepNode } from '../../graph';
import { stepSource, StepSourceError, type StepSource } from './stepSource';

export interface NotebookCell {
  kind: 'markdown' | 'code';
  source: string;
}

/** What the extension's notebook commands need to know about a task notebook (its `metadata.stepwise`). */
export interface TaskNotebookMeta {
  pathspec: string;
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  status: string;
  flowFile: string;
  /** The store the task is in: the kernel is started with its environment. */
  datastore: DatastoreSpec;
}

export interface TaskNotebook {
  cells: NotebookCell[];
  meta: TaskNotebookMeta;
}

export interface BuildOptions {
  /** The folder the notebook will be in (relative imports are written from there). */
  notebookDir: string;
  /** The project's folder (where `.stepwise/` is): paths are shown relative to it. */
  projectDir: string;
  datastore: DatastoreSpec;
}

export function buildTaskNotebook(task: TaskClient, run: RunClient, o: BuildOptions): TaskNotebook {
  const flowFile = run.record.file;
  const text = existsSync(flowFile) ? readFileSync(flowFile, 'utf8') : undefined;
  const node =
    text !== undefined ? parseFlow(text, flowFile, { incremental: false }).steps.find((s) => s.name === task.stepName) : undefined;
  let source: StepSource | undefined;
  let missing: string | undefined;
  if (text === undefined) missing = `the flow file of this run, ${flowFile}, is not there any more`;
  else {
    try {
      source = stepSource(text, flowFile, task.stepName, o.notebookDir);
    } catch (err) {
      if (!(err instanceof StepSourceError)) throw err;
      missing = err.message;
    }
  }
  const meta: TaskNotebookMeta = {
    pathspec: task.pathspec,
    flow: task.flowName,
    runId: task.runId,
    step: task.stepName,
    taskId: task.id,
    status: task.status,
    flowFile,
    datastore: o.datastore,
  };
  const cells: NotebookCell[] = [
    { kind: 'markdown', source: summary(task, run, node, source, o) },
    { kind: 'code', source: bindingCell(task, node, source) },
    { kind: 'code', source: source ? bodyCell(task, source, flowFile, o) : `// The step's code is not available: ${missing}.` },
  ];
  if (task.successful && source) cells.push({ kind: 'code', source: compareCell(task) });
  return { cells, meta };
}

/** A path as the user knows it: relative to the project (the datastore's folder). */
function shown(file: string, o: BuildOptions): string {
  const r = relative(o.projectDir, file);
  return r.startsWith('..') ? file : r.split(sep).join('/');
}

/** A link that opens the file at a line, from the notebook's folder. */
function link(file: string, line: number | undefined, o: BuildOptions): string {
  const href = relative(o.notebookDir, file).split(sep).join('/');
  const label = `${shown(file, o)}${line ? `:${line}` : ''}`;
  return `[${label}](${encodeURI(href)}${line ? `#L${line}` : ''})`;
}

function kindText(task: TaskClient, node: StepNode | undefined): string {
  const frame = task.record.stack[task.record.stack.length - 1];
  if (frame?.kind === 'foreach')
    return `a foreach task: the item at index ${frame.index} of ${frame.count} (\`self.input\`, \`self.index\`)`;
  if (node?.kind === 'join') return `a join of ${task.parents.length} branches (\`inputs\`)`;
  return node ? `a ${node.kind} step` : 'a step';
}

/** Where the error was raised in the user's code: the first frame outside the runtime and node_modules. */
export function errorLocation(stack: string): { file: string; line: number; column: number } | undefined {
  for (const l of stack.split('\n')) {
    const m = /^\s+at (?:.*\()?((?:\/|[A-Za-z]:\\).+?):(\d+):(\d+)\)?$/.exec(l);
    if (m && !m[1].includes(`${sep}node_modules${sep}`) && !/[\\/]dist[\\/](task|api|client)\.js$/.test(m[1]))
      return { file: m[1], line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function summary(task: TaskClient, run: RunClient, node: StepNode | undefined, source: StepSource | undefined, o: BuildOptions): string {
  const lines = [`## \`${task.pathspec}\` — ${task.status}`, ''];
  const when = task.finishedAt ? `, ${task.durationMs} ms, finished ${task.finishedAt.toISOString()}` : '';
  lines.push(`Step \`${task.stepName}\` of run ${run.id} (${run.status}), ${kindText(task, node)}${when}.`);
  if (source) lines.push(`The step: ${link(run.record.file, source.line, o)}.`);
  const e = task.exception;
  if (e) {
    const at = errorLocation(e.stack);
    lines.push('', `**${e.name}: ${e.message}**${at ? ` at ${link(at.file, at.line, o)}` : ''}`, '', '```', e.stack, '```');
  }
  if (task.damaged) lines.push('', `**This task's record is damaged:** ${task.damaged}`);
  lines.push(
    '',
    'Run the next cell to bind `self` to what the step saw (each artifact is read when first used), then the step’s code' +
      (task.status === 'failed' ? ': it fails the same way. ' : '. ') +
      'Change the cell until it does what it should, move the change into the flow file, and **Resume from this step** ' +
      '(notebook toolbar). A local module you edit is reloaded before the next cell runs.',
  );
  return lines.join('\n');
}

function bindingCell(task: TaskClient, node: StepNode | undefined, source: StepSource | undefined): string {
  const foreach = task.record.stack[task.record.stack.length - 1]?.kind === 'foreach';
  const isJoin = node?.kind === 'join';
  const out = [
    `// \`self\` is what step \`${task.stepName}\` saw: its artifacts and parameters, each read from the`,
    `// datastore when first used${foreach ? '; self.input and self.index' : ''}${isJoin ? '; and `inputs`, one view per branch' : ''}.`,
  ];
  if (source?.imports.length) out.push(...source.imports);
  const names = ['self'];
  if (isJoin) names.push(source?.inputsName && source.inputsName !== 'inputs' ? `inputs: ${source.inputsName}` : 'inputs');
  if (source?.scopeNames.length) names.push('scope');
  out.push(`const { ${names.join(', ')} } = await taskContext(${JSON.stringify(task.pathspec)});`);
  if (source?.scopeNames.length) out.push(`const { ${source.scopeNames.join(', ')} } = scope; // the flow file's own names the step uses`);
  return out.join('\n');
}

function bodyCell(task: TaskClient, source: StepSource, flowFile: string, o: BuildOptions): string {
  return `// Step \`${task.stepName}\` (${shown(flowFile, o)}:${source.line}) with \`this\` as \`self\`.\n${source.code}`;
}

function compareCell(task: TaskClient): string {
  return [
    `// What the cell above left in \`self\`, next to what task ${task.pathspec} stored: one row per artifact.`,
    'await compareWithTask(self)',
  ].join('\n');
}
