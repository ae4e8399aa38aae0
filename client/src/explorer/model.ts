/**
 * The artifact explorer's tree, as plain data over the runtime's client API (no `vscode` here,
 * so the tree logic runs in plain Node tests and the bench). Flows › runs › steps › tasks ›
 * artifacts + logs. Children load lazily; a wide foreach step pages its tasks.
 *
 * Finished runs never change, so what was read of them is kept; a change in the datastore
 * (`invalidate(path)` for a watched folder, `invalidateRun` otherwise) drops only the caches of the run the path belongs to.
 */
import { Flow, Metaflow, type RunClient, type StepClient, type TaskClient } from '../../../runtime/src/client';
import { formatBytes, preview as previewValue } from '../../../runtime/src/serialize/describe';
import { DatastoreError } from '../../../runtime/src/datastore/files';
import { stepStateOf, type StepState } from '../state/stepState';
import { localChangeOf } from '../../../runtime/src/datastore/local';
import { formatDuration, formatStart } from './format';
import { parseTaskPathspec, runPathspec } from '../../../runtime/src/pathspec';
import { attemptContents, attemptNodes, caughtNode, tagLines, taskBits } from './production';

/**
 * A step's states (one derivation: ../state/stepState.ts), `damaged` for unreadable records, and
 * `caught` for a task whose failure `@catchFailure` caught (it succeeded, but not as written).
 */
export type NodeStatus = StepState | 'damaged' | 'caught';

interface Base {
  /** Stable across refreshes (the tree keeps expansion state by it). */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  status?: NodeStatus;
  /** Whether the node has children to load. */
  expandable: boolean;
  /** The id of the node it was listed under. */
  parentId?: string;
}
export interface FlowNode extends Base {
  kind: 'flow';
  flow: string;
}
export interface RunNode extends Base {
  kind: 'run';
  flow: string;
  runId: string;
  file: string;
  originRunId: string | null;
}
/** A step as a run ran it (the tree's item; the flow's own step is the graph's StepNode). */
export interface RunStepNode extends Base {
  kind: 'step';
  flow: string;
  runId: string;
  step: string;
  file: string;
  total: number;
}
export interface TaskNode extends Base {
  kind: 'task';
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  pathspec: string;
  file: string;
}
export interface ArtifactNode extends Base {
  kind: 'artifact';
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  pathspec: string;
  name: string;
  type: string;
  size: number;
}
export interface LogNode extends Base {
  kind: 'log';
  pathspec: string;
  stream: 'stdout' | 'stderr';
  /** An earlier attempt's log (`@retry`); absent for the task's own (its last attempt's). */
  attempt?: number;
  /** The log file, when the datastore is a local folder. */
  path?: string;
  running: boolean;
}
/** An attempt of a task before its last (`@retry`): its status, failure and logs. */
export interface AttemptNode extends Base {
  kind: 'attempt';
  flow: string;
  runId: string;
  step: string;
  taskId: string;
  pathspec: string;
  file: string;
  attempt: number;
}
/** Loads the next page of a wide step's tasks. */
export interface MoreNode extends Base {
  kind: 'more';
  stepId: string;
  shown: number;
  total: number;
}
export interface ErrorNode extends Base {
  kind: 'error';
  message: string;
}
export interface InfoNode extends Base {
  kind: 'info';
}
export type ExplorerNode =
  FlowNode | RunNode | RunStepNode | TaskNode | AttemptNode | ArtifactNode | LogNode | MoreNode | ErrorNode | InfoNode;

export interface ModelOptions {
  /** Tasks listed per page under a step. */
  pageSize?: number;
  /** Runs listed per flow. */
  maxRuns?: number;
}

/** How many records were read, so tests can see that unchanged runs are not read again. */
export interface ReadStats {
  runs: number;
  stepLists: number;
  taskPages: number;
}

interface RunCache {
  run: RunClient;
  steps?: RunStepNode[];
  tasks: Map<string, TaskClient[]>;
  /** Foreach inputs by step: index → preview. */
  inputs: Map<string, Map<number, string> | null>;
}

export class ExplorerModel {
  readonly pageSize: number;
  readonly maxRuns: number;
  readonly stats: ReadStats = { runs: 0, stepLists: 0, taskPages: 0 };
  private readonly runs = new Map<string, RunCache>();
  /** Pages shown per step node (grows with "Load more"). */
  private readonly shownPages = new Map<string, number>();
  /** One object per id, so a tree that tracks elements by identity sees the same node again. */
  private readonly nodes = new Map<string, ExplorerNode>();
  /** What each listing showed, so `poll()` can tell when it is out of date. */
  private listedFlows: string[] | undefined;
  private readonly listedRuns = new Map<string, { ids: string; running: boolean }>();

  /** Only runs carrying this tag are listed (a namespace such as `user:alice`, or a user tag); undefined: every run. */
  private runFilter: string | undefined;

  constructor(
    readonly root: string,
    o: ModelOptions = {},
  ) {
    this.pageSize = o.pageSize ?? 100;
    this.maxRuns = o.maxRuns ?? 200;
  }

  get filter(): string | undefined {
    return this.runFilter;
  }

  /** Lists only the runs carrying `tag` (and the flows that have one), or every run again. */
  setFilter(tag: string | undefined): void {
    this.runFilter = tag || undefined;
  }

  /** Every tag of the runs listed so far and of each flow's latest runs, with how many runs carry it. */
  async knownTags(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const f of await Metaflow({ root: this.root, namespace: null }).flows()) {
      const flow = Flow(f.name, { root: this.root, namespace: null });
      for (const id of (await flow.runIds()).slice(0, this.maxRuns)) {
        const run = this.runs.get(`${f.name}/${id}`)?.run ?? (await flow.run(id).catch(() => undefined));
        for (const t of run?.allTags ?? []) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    return counts;
  }

  /**
   * Which flows are listed: those with a run in the filter's namespace (the client API's
   * namespace is a tag), else every user's, as Metaflow's UI shows them.
   */
  private flowScope() {
    return { root: this.root, namespace: this.runFilter ?? null };
  }

  /** Runs are read by id in the global namespace (an explicit lookup outside a namespace is an error); runsOf applies the filter. */
  private runScope() {
    return { root: this.root, namespace: null };
  }

  async roots(): Promise<ExplorerNode[]> {
    let flows: string[];
    try {
      flows = (await Metaflow(this.flowScope()).flows()).map((f) => f.name);
    } catch (err) {
      return [this.error(`error:${this.root}`, err)];
    }
    this.listedFlows = flows;
    // Nothing: the view shows its welcome content (New Flow, how to run) instead.
    if (!flows.length) return [];
    return flows.map((flow) => this.intern({ kind: 'flow', id: `flow:${flow}`, flow, label: flow, expandable: true }));
  }

  async children(node: ExplorerNode): Promise<ExplorerNode[]> {
    const list = await this.childrenOf(node);
    for (const c of list) c.parentId = node.id;
    return list;
  }

  private async childrenOf(node: ExplorerNode): Promise<ExplorerNode[]> {
    try {
      switch (node.kind) {
        case 'flow':
          return await this.runsOf(node);
        case 'run':
          return await this.stepsOf(node);
        case 'step':
          return await this.tasksOf(node);
        case 'task':
          return await this.contentsOf(node);
        case 'attempt': {
          const cache = await this.cacheOf(node.flow, node.runId);
          const t = await cache.run.step(node.step).task(node.taskId);
          return await attemptContents(t, node, (n) => this.intern(n));
        }
        default:
          return [];
      }
    } catch (err) {
      return [this.error(`error:${node.id}`, err)];
    }
  }

  /** The node with this id, when it has been listed. */
  node(id: string): ExplorerNode | undefined {
    return this.nodes.get(id);
  }

  /** Shows one more page of a step's tasks; returns the step node to refresh. */
  loadMore(more: MoreNode): ExplorerNode | undefined {
    this.shownPages.set(more.stepId, (this.shownPages.get(more.stepId) ?? 1) + 1);
    return this.nodes.get(more.stepId);
  }

  /**
   * A file under a local datastore changed (a watcher event): drops the caches of its run.
   * Returns the node to refresh — the run's flow — or undefined for the roots.
   */
  invalidate(path: string): ExplorerNode | undefined {
    const change = localChangeOf(this.root, path);
    if (!change) return undefined;
    if (change.kind === 'data') return this.nodes.get(`flow:${change.flow}`) ?? undefined;
    return this.invalidateRun(change.flow, change.runId);
  }

  /**
   * A run changed (or, without a run id, a flow's runs): drops the caches of that run. Returns
   * the node to refresh — the run's flow — or undefined for the roots.
   */
  invalidateRun(flow: string, runId?: string): ExplorerNode | undefined {
    if (!this.nodes.has(`flow:${flow}`)) return undefined;
    if (runId) this.runs.delete(runPathspec(flow, runId));
    // The flow's node: re-listing its runs updates the run's own label and icon (a tree
    // refreshes a node's item only when its parent lists it again); other runs come from cache.
    return this.nodes.get(`flow:${flow}`);
  }

  /** Forgets everything read (a manual refresh). */
  clear(): void {
    this.runs.clear();
  }

  private async runsOf(node: FlowNode): Promise<ExplorerNode[]> {
    const flow = Flow(node.flow, this.runScope());
    const ids = (await flow.runIds()).slice(0, this.maxRuns);
    // Read in parallel: the first level of a datastore with many runs is I/O bound.
    const read = await Promise.all(
      ids.map(async (id): Promise<RunClient | ErrorNode> => {
        const key = runPathspec(node.flow, id);
        const cached = this.runs.get(key);
        if (cached) return cached.run;
        try {
          this.stats.runs++;
          const run = await flow.run(id);
          // A running run is read again on every listing; a finished one never changes.
          if (run.finished) this.runs.set(key, { run, tasks: new Map(), inputs: new Map() });
          return run;
        } catch (err) {
          if (!(err instanceof DatastoreError)) throw err;
          return this.error(`run:${key}`, err, id);
        }
      }),
    );
    const out: ExplorerNode[] = [];
    let running = false;
    for (const r of read) {
      if ('kind' in r && (r as ExplorerNode).kind === 'error') out.push(r as ErrorNode);
      else if ((r as RunClient).kind !== 'spin' && (this.runFilter === undefined || (r as RunClient).allTags.includes(this.runFilter))) {
        running ||= !(r as RunClient).finished;
        out.push(this.runNode(r as RunClient));
      }
    }
    this.listedRuns.set(node.flow, { ids: ids.join(','), running });
    return out;
  }

  /**
   * Checks what was listed against the datastore (directory listings only): returns the nodes to
   * refresh — a flow whose runs changed or that has a run still running — or `[undefined]` when
   * the flows themselves changed. A safety net for when file events do not arrive.
   */
  async poll(): Promise<Array<ExplorerNode | undefined>> {
    if (!this.listedFlows) return [];
    const flows = (await Metaflow(this.flowScope()).flows()).map((f) => f.name);
    if (flows.join(',') !== this.listedFlows.join(',')) return [undefined];
    const out: ExplorerNode[] = [];
    for (const [flow, listed] of this.listedRuns) {
      const node = this.nodes.get(`flow:${flow}`);
      if (!node) continue;
      const ids = (await Flow(flow, this.runScope()).runIds()).slice(0, this.maxRuns).join(',');
      if (listed.running || ids !== listed.ids) {
        // A running run is read again anyway; a changed list re-reads only the new runs.
        out.push(node);
      }
    }
    return out;
  }

  private runNode(run: RunClient): RunNode {
    const status = run.status;
    const bits = [formatStart(run.createdAt)];
    if (run.durationMs !== undefined) bits.push(formatDuration(run.durationMs));
    else if (status === 'running') bits.push('running');
    if (run.originRunId) bits.push(`resumed from ${run.originRunId}`);
    if (run.tags.length) bits.push(run.tags.map((t) => `#${t}`).join(' '));
    if (run.project) bits.push(run.project.branch);
    const tip = [
      `${run.pathspec} — ${status}${run.state.reason ? `: ${run.state.reason}` : ''}`,
      `started ${run.createdAt.toISOString()}`,
      run.durationMs !== undefined ? `took ${formatDuration(run.durationMs)}` : '',
      run.originRunId
        ? `resumed from ${run.flowName}/${run.originRunId}${run.record.resumeStep ? ` at step ${run.record.resumeStep}` : ''}`
        : '',
      ...tagLines(run),
      Object.keys(run.parameters).length ? `parameters: ${JSON.stringify(run.parameters)}` : '',
      run.file,
    ];
    return this.intern({
      kind: 'run',
      id: `run:${run.pathspec}`,
      flow: run.flowName,
      runId: run.id,
      file: run.file,
      originRunId: run.originRunId,
      label: run.id,
      description: bits.join(' · '),
      tooltip: tip.filter(Boolean).join('\n'),
      status,
      expandable: true,
    });
  }

  private cacheOf(flow: string, runId: string): Promise<RunCache> {
    const key = runPathspec(flow, runId);
    const c = this.runs.get(key);
    if (c) return Promise.resolve(c);
    this.stats.runs++;
    return Flow(flow, this.runScope())
      .run(runId)
      .then((run) => {
        const fresh: RunCache = { run, tasks: new Map(), inputs: new Map() };
        if (run.finished) this.runs.set(key, fresh);
        return fresh;
      });
  }

  private async stepsOf(node: RunNode): Promise<ExplorerNode[]> {
    const cache = await this.cacheOf(node.flow, node.runId);
    if (cache.steps) return cache.steps;
    this.stats.stepLists++;
    const steps = await cache.run.steps();
    const nodes: RunStepNode[] = [];
    for (const s of steps) nodes.push(await this.stepNode(cache.run, s));
    if (cache.run.finished) cache.steps = nodes;
    return nodes;
  }

  private async stepNode(run: RunClient, s: StepClient): Promise<RunStepNode> {
    const sum = await s.summary();
    const status = stepStateOf(
      { tasks: sum.total, done: sum.succeeded, cloned: sum.cloned, running: sum.running, failed: sum.failed, killed: sum.killed },
      run.status,
    );
    const counts: string[] = [];
    if (sum.total > 1) counts.push(`${sum.total} tasks`);
    if (sum.running) counts.push(`${sum.running} running`);
    if (sum.failed) counts.push(`${sum.failed} failed`);
    if (sum.killed) counts.push(`${sum.killed} killed`);
    if (sum.cloned) counts.push(sum.cloned === sum.total ? 'cloned' : `${sum.cloned} cloned`);
    return this.intern({
      kind: 'step',
      id: `step:${s.pathspec}`,
      flow: run.flowName,
      runId: run.id,
      step: s.name,
      file: run.file,
      total: sum.total,
      label: s.name,
      description: counts.join(' · ') || status,
      tooltip: `${s.pathspec}\n${sum.total} task(s): ${sum.succeeded} succeeded, ${sum.failed} failed, ${sum.running} running, ${sum.killed} killed, ${sum.cloned} cloned`,
      status,
      expandable: sum.total > 0,
    });
  }

  private async tasksOf(node: RunStepNode): Promise<ExplorerNode[]> {
    const cache = await this.cacheOf(node.flow, node.runId);
    const step = cache.run.step(node.step);
    const pages = this.shownPages.get(node.id) ?? 1;
    const total = (await step.taskIds()).length;
    const limit = Math.min(total, pages * this.pageSize);
    const key = `${node.step}:${limit}`;
    let tasks = cache.tasks.get(key);
    if (!tasks) {
      this.stats.taskPages++;
      tasks = await step.tasks({ offset: 0, limit });
      if (cache.run.finished) cache.tasks.set(key, tasks);
    }
    const inputs = await this.foreachInputs(cache, node.step, tasks);
    const out: ExplorerNode[] = tasks.map((t) => this.taskNode(node, t, inputs));
    if (limit < total) {
      out.push(
        this.intern({
          kind: 'more',
          id: `more:${node.id}`,
          stepId: node.id,
          shown: limit,
          total,
          label: `Load ${Math.min(this.pageSize, total - limit)} more…`,
          description: `${limit} of ${total} tasks shown`,
          expandable: false,
        }),
      );
    }
    return out;
  }

  private taskNode(step: RunStepNode, t: TaskClient, inputs: Map<number, string> | null): ExplorerNode {
    if (t.damaged) return this.error(`task:${t.pathspec}`, new Error(t.damaged), t.id);
    const status: NodeStatus = t.clonedFrom ? 'cloned' : t.caught ? 'caught' : t.status;
    const bits: string[] = [];
    const idx = t.foreachIndex;
    if (idx !== undefined) {
      const input = inputs?.get(idx);
      bits.push(input !== undefined ? `[${idx}] ${input}` : `[${idx}]`);
    }
    // A loop's passes are its tasks in id order; name each, and the case a switch took.
    if (t.pass !== undefined) bits.push(`pass ${t.passes.join('.')}`);
    if (t.switchCase) bits.push(`→ ${t.switchCase.case}`);
    bits.push(t.finished ? (t.clonedFrom ? `cloned from ${parseTaskPathspec(t.clonedFrom)?.runId ?? t.clonedFrom}` : t.status) : t.status);
    if (t.durationMs !== undefined) bits.push(formatDuration(t.durationMs));
    bits.push(...taskBits(t));
    const tip = [
      `${t.pathspec} — ${t.status}`,
      t.clonedFrom ? `cloned from ${t.clonedFrom}` : '',
      t.pid ? `pid ${t.pid}` : '',
      t.exception ? `${t.exception.name}: ${t.exception.message}` : '',
      t.caught ? `caught by @catchFailure: ${t.caught.type}: ${t.caught.message}` : '',
      t.currentAttempt > 0 ? `${t.currentAttempt + 1} attempts (@retry)` : '',
    ];
    return this.intern({
      kind: 'task',
      id: `task:${t.pathspec}`,
      flow: t.flowName,
      runId: t.runId,
      step: t.stepName,
      taskId: t.id,
      pathspec: t.pathspec,
      file: step.file,
      label: t.id,
      description: bits.join(' · '),
      tooltip: tip.filter(Boolean).join('\n'),
      status,
      expandable: true,
    });
  }

  /**
   * Previews of the foreach items of a page of tasks, read from the splitting task's list
   * artifact when it is small enough to load (null when there is none or it is too big).
   */
  private async foreachInputs(cache: RunCache, step: string, tasks: TaskClient[]): Promise<Map<number, string> | null> {
    if (cache.inputs.has(step)) return cache.inputs.get(step)!;
    const first = tasks.find((t) => !t.damaged && t.foreachIndex !== undefined);
    let result: Map<number, string> | null = null;
    const frame = first?.record.stack[first.record.stack.length - 1];
    if (frame?.kind === 'foreach') {
      try {
        const parent = await cache.run.step(frame.step).task(frame.taskId);
        const listVar = 'transition' in parent.record ? parent.record.transition?.foreach : undefined;
        const rec = listVar ? parent.artifactRecord(listVar) : undefined;
        if (listVar && rec && rec.size <= 4 * 1024 * 1024) {
          const list = await parent.data<unknown>(listVar);
          if (Array.isArray(list)) result = new Map(list.map((v, i) => [i, previewValue(v, 40)]));
        }
      } catch {
        result = null;
      }
    }
    if (cache.run.finished || result) cache.inputs.set(step, result);
    return result;
  }

  private contentsOf(node: TaskNode): ExplorerNode[] | Promise<ExplorerNode[]> {
    return this.cacheOf(node.flow, node.runId).then(async (cache) => {
      const t = await cache.run.step(node.step).task(node.taskId);
      if (t.damaged) return [this.error(`error:${node.id}`, new Error(t.damaged))];
      const out: ExplorerNode[] = [];
      const caught = caughtNode(t, (n) => this.intern(n));
      if (caught) out.push(caught);
      if (t.exception) {
        out.push(
          this.intern({
            kind: 'info',
            id: `exception:${t.pathspec}`,
            label: `${t.exception.name}: ${t.exception.message}`,
            tooltip: t.exception.stack,
            status: 'failed',
            expandable: false,
          }),
        );
      }
      for (const a of t.artifacts()) {
        out.push(
          this.intern({
            kind: 'artifact',
            id: `artifact:${t.pathspec}/${a.name}`,
            flow: t.flowName,
            runId: t.runId,
            step: t.stepName,
            taskId: t.id,
            pathspec: t.pathspec,
            name: a.name,
            type: a.type,
            size: a.size,
            label: a.name,
            description: `${a.type} · ${a.preview}`,
            tooltip: `${t.pathspec}/${a.name}\n${a.type}, ${formatBytes(a.size)} serialised\n${a.preview}`,
            expandable: false,
          }),
        );
      }
      if (!t.finished && !out.length)
        out.push(
          this.intern({
            kind: 'info',
            id: `info:${t.pathspec}`,
            label: `(${t.status}: artifacts appear when the task finishes)`,
            expandable: false,
          }),
        );
      out.push(...(await attemptNodes(t, node.file, (n) => this.intern(n))));
      for (const stream of ['stdout', 'stderr'] as const) {
        out.push(
          this.intern({
            kind: 'log',
            id: `log:${t.pathspec}/${stream}`,
            pathspec: t.pathspec,
            stream,
            path: t.logPath(stream),
            running: !t.finished,
            label: stream,
            description: t.finished ? (t.currentAttempt > 0 ? `attempt ${t.currentAttempt}` : undefined) : 'live',
            expandable: false,
          }),
        );
      }
      return out;
    });
  }

  private error(id: string, err: unknown, label?: string): ErrorNode {
    const message = err instanceof Error ? err.message : String(err);
    return this.intern({
      kind: 'error',
      id,
      label: label ? `${label}: ${message}` : message,
      message,
      tooltip: message,
      status: 'damaged',
      expandable: false,
    });
  }

  private intern<T extends ExplorerNode>(fresh: T): T {
    const old = this.nodes.get(fresh.id);
    if (old && old.kind === fresh.kind) {
      for (const k of Object.keys(old)) if (!(k in fresh)) delete (old as unknown as Record<string, unknown>)[k];
      Object.assign(old, fresh);
      return old as T;
    }
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }
}

export { formatBytes };
