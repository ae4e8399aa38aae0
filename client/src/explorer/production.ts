/**
 * What the Runs tree shows of Metaflow's production practices: a task's earlier attempts
 * (`@retry`), each with its own status, failure and logs; a failure `@catchFailure` caught, with
 * the value of its `var`; a run's system tags. Plain data over the client API, like model.ts.
 */
import type { RunClient, TaskClient } from '../../../runtime/src/client';
import type { AttemptInfo } from '../../../runtime/src/client/task';
import { formatDuration } from './format';
import type { AttemptNode, ExplorerNode, InfoNode, LogNode } from './model';

type Intern = <T extends ExplorerNode>(node: T) => T;

/** The task line's words for its attempts and a caught failure (`3 attempts`, `caught TypeError`). */
export function taskBits(t: TaskClient): string[] {
  const bits: string[] = [];
  if (t.currentAttempt > 0) bits.push(`${t.currentAttempt + 1} attempts`);
  if (t.caught) bits.push(`caught ${t.caught.type}`);
  return bits;
}

/** The caught failure of a task, as a node with its own icon: the failure, and where `var` holds it. */
export function caughtNode(t: TaskClient, intern: Intern): InfoNode | undefined {
  const c = t.caught;
  if (!c) return undefined;
  const held = c.var ? t.artifacts().find((a) => a.name === c.var) : undefined;
  return intern({
    kind: 'info',
    id: `caught:${t.pathspec}`,
    label: `Caught by @catchFailure: ${c.type}: ${c.message}`,
    description: held ? `${c.var} = ${held.preview}` : c.var ? `${c.var}` : undefined,
    tooltip: [
      `@catchFailure caught this failure of attempt ${c.attempt}: the task succeeded without the step's artifacts.`,
      c.var ? `The artifact ${c.var} holds it${held ? `: ${held.preview}` : ''}.` : '',
      '',
      c.stack,
    ]
      .filter((l, i) => l || i === 2)
      .join('\n'),
    status: 'caught',
    expandable: false,
  });
}

/** One node per attempt before the last (the task's own record and logs are the last attempt's). */
export async function attemptNodes(t: TaskClient, file: string, intern: Intern): Promise<AttemptNode[]> {
  if (t.currentAttempt === 0) return [];
  const all = await t.attempts();
  return all.slice(0, -1).map((a) => attemptNode(t, a, file, intern));
}

function attemptNode(t: TaskClient, a: AttemptInfo, file: string, intern: Intern): AttemptNode {
  const bits: string[] = [a.status];
  if (a.durationMs !== undefined) bits.push(formatDuration(a.durationMs));
  if (a.exception) bits.push(`${a.exception.name}: ${a.exception.message}`);
  return intern({
    kind: 'attempt',
    id: `attempt:${t.pathspec}/${a.attempt}`,
    flow: t.flowName,
    runId: t.runId,
    step: t.stepName,
    taskId: t.id,
    pathspec: t.pathspec,
    file,
    attempt: a.attempt,
    label: `attempt ${a.attempt}`,
    description: bits.join(' · '),
    tooltip: [`${t.pathspec} attempt ${a.attempt} — ${a.status}`, a.exception?.stack ?? ''].filter(Boolean).join('\n'),
    status: a.status,
    expandable: true,
  });
}

/** An earlier attempt's failure and its own logs. */
export async function attemptContents(t: TaskClient, node: AttemptNode, intern: Intern): Promise<ExplorerNode[]> {
  const a = (await t.attempts()).find((x) => x.attempt === node.attempt);
  const out: ExplorerNode[] = [];
  if (a?.exception) {
    out.push(
      intern({
        kind: 'info',
        id: `exception:${t.pathspec}/${node.attempt}`,
        label: `${a.exception.name}: ${a.exception.message}`,
        tooltip: a.exception.stack,
        status: 'failed',
        expandable: false,
      }),
    );
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    out.push(
      intern<LogNode>({
        kind: 'log',
        id: `log:${t.pathspec}/${stream}.${node.attempt}`,
        pathspec: t.pathspec,
        stream,
        attempt: node.attempt,
        path: t.logPath(stream, node.attempt),
        running: false,
        label: stream,
        description: `attempt ${node.attempt}`,
        expandable: false,
      }),
    );
  }
  return out;
}

/** The run's tooltip lines for its tags: user tags and the system tags the runtime set. */
export function tagLines(run: RunClient): string[] {
  const lines: string[] = [];
  if (run.userTags.length) lines.push(`tags: ${run.userTags.join(', ')}`);
  if (run.systemTags.length) lines.push(`system tags: ${run.systemTags.join(', ')}`);
  return lines;
}

/** System tags a namespace is made of (Metaflow's namespaces); the rest are user tags. */
const NAMESPACE_PREFIXES = ['user:', 'project:', 'project_branch:'];

export function isNamespaceTag(tag: string): boolean {
  return NAMESPACE_PREFIXES.some((p) => tag.startsWith(p));
}

/** The Runs view's description for its filter: `namespace user:alice` or `tag golden`. */
export function filterDescription(tag: string | undefined): string | undefined {
  if (tag === undefined) return undefined;
  return `${isNamespaceTag(tag) ? 'namespace' : 'tag'} ${tag}`;
}
