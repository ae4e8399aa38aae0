/**
 * The local datastore: one folder (by default `.stepwise/` at the workspace root).
 *
 *   <root>/.cache/bundles/flow-<hash>.js                   code packages (compiled flows)
 *   <root>/<Flow>/data/<hh>/<sha256>                      artifact blobs (header + payload)
 *   <root>/<Flow>/runs/<runId>/run.json, end.json          run record, written at start / end
 *   <root>/<Flow>/runs/<runId>/tags.json                   user tags, once changed after the start
 *   <root>/<Flow>/runs/<runId>/<step>/<taskId>/start.json  task started (parents, stack, pid)
 *   …/<taskId>/task.json, DONE                             final record (the last attempt's), DONE written last
 *   …/<taskId>/stdout.log, stderr.log                      the task's own output (read-only once complete)
 *   …/<taskId>/stdout.<n>.log, attempt.<n>.json            attempt n's output, and its record when another followed
 */
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeVerified, encodeStoredChunks, storedHolds } from '../../serialize/codec';
import type { Datastore, FollowOptions, LogSink, LogStream, TaskRef } from '../datastore';
import { DatastoreError, exists, listDir, readJson, writeFileAtomic } from '../files';
import { attemptFileName, logFileName } from '../attempts';
import { followLogBy } from '../follow';
import type { LocalDatastoreSpec } from '../spec';
import type { RunEndRecord, RunRecord, TaskRecord, TaskStartRecord } from '../types';
import { appendSink, completeLog, readLogFrom } from './logs';
import * as layout from './layout';
import { runPathspec } from '../../pathspec';

const RUN_ID = /^\d+$/;

export class LocalDatastore implements Datastore {
  readonly spec: LocalDatastoreSpec;
  readonly codeCacheDir: string;

  constructor(readonly root: string) {
    this.spec = { type: 'local', root };
    this.codeCacheDir = join(root, '.cache', 'bundles');
  }

  get location(): string {
    return this.root;
  }

  private blobPath(flow: string, hash: string): string {
    return join(this.root, flow, 'data', hash.slice(0, 2), hash);
  }
  runDir(flow: string, runId: string): string {
    return layout.runDir(this.root, flow, runId);
  }
  taskDir(flow: string, runId: string, step: string, taskId: string): string {
    return layout.taskDir(this.root, { flow, runId, step, taskId });
  }

  async putBlob(flow: string, hash: string, serialized: Buffer): Promise<void> {
    const file = this.blobPath(flow, hash);
    const [existing, encoded] = await Promise.all([
      fs.readFile(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      }),
      encodeStoredChunks(serialized, 'raw'),
    ]);
    if (existing && storedHolds(existing, serialized, encoded)) return;
    // Absent, or present but damaged: this writer has the right bytes, and the rename replaces
    // a bad file atomically, so one good write heals every later run that reads it.
    await writeFileAtomic(file, encoded);
  }

  async getBlob(flow: string, hash: string): Promise<Buffer> {
    const file = this.blobPath(flow, hash);
    let stored: Buffer;
    try {
      stored = await fs.readFile(file);
    } catch (err) {
      throw this.blobReadError(err, flow, hash, file);
    }
    return decodeVerified(stored, hash, file);
  }

  getBlobSync(flow: string, hash: string): Buffer {
    const file = this.blobPath(flow, hash);
    let stored: Buffer;
    try {
      stored = readFileSync(file);
    } catch (err) {
      throw this.blobReadError(err, flow, hash, file);
    }
    return decodeVerified(stored, hash, file);
  }

  private blobReadError(err: unknown, flow: string, hash: string, file: string): unknown {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return err;
    return new DatastoreError(file, `artifact blob ${hash.slice(0, 12)}… of flow ${flow} is missing (${file}). Was the datastore pruned?`);
  }

  hasBlob(flow: string, hash: string): Promise<boolean> {
    return exists(this.blobPath(flow, hash));
  }

  /** Every blob is already on this machine. */
  async prefetchBlobs(): Promise<void> {}

  private codeFile(hash: string): string {
    return join(this.codeCacheDir, `flow-${hash}.js`);
  }

  async putCodePackage(_flow: string, hash: string, localFile: string): Promise<void> {
    const file = this.codeFile(hash);
    if (localFile === file || (await exists(file))) return;
    await writeFileAtomic(file, await fs.readFile(localFile));
  }

  async codePackagePath(flow: string, hash: string): Promise<string> {
    const file = this.codeFile(hash);
    if (!(await exists(file))) {
      throw new DatastoreError(file, `the code package ${hash} of flow ${flow} is missing (${file}). Was the datastore's .cache pruned?`);
    }
    return file;
  }

  async listFlows(): Promise<string[]> {
    const names = await listDir(this.root);
    const flows: string[] = [];
    for (const n of names) {
      if (n.startsWith('.')) continue;
      if (await exists(layout.flowRunsDir(this.root, n))) flows.push(n);
    }
    return flows.sort();
  }

  async createRun(record: Omit<RunRecord, 'runId' | 'pathspec'>): Promise<RunRecord> {
    const runs = layout.flowRunsDir(this.root, record.flow);
    await fs.mkdir(runs, { recursive: true });
    // Ids are wall-clock milliseconds; mkdir is the lock, so concurrent runs never share one.
    let id = Date.now();
    for (;;) {
      try {
        await fs.mkdir(join(runs, String(id)));
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        id++;
      }
    }
    const full: RunRecord = { ...record, runId: String(id), pathspec: runPathspec(record.flow, String(id)) };
    await writeFileAtomic(join(runs, String(id), 'run.json'), JSON.stringify(full, null, 1));
    return full;
  }

  async readRun(flow: string, runId: string): Promise<RunRecord> {
    const file = join(this.runDir(flow, runId), 'run.json');
    const rec = await readJson<RunRecord>(file);
    if (!rec) throw new DatastoreError(file, `run ${flow}/${runId} not found in ${this.root}.`);
    const tags = await readJson<string[]>(join(this.runDir(flow, runId), 'tags.json'));
    return tags ? { ...rec, tags } : rec;
  }

  writeRunTags(flow: string, runId: string, tags: string[]): Promise<void> {
    return writeFileAtomic(join(this.runDir(flow, runId), 'tags.json'), JSON.stringify(tags));
  }

  readRunEnd(flow: string, runId: string): Promise<RunEndRecord | undefined> {
    return readJson<RunEndRecord>(join(this.runDir(flow, runId), 'end.json'));
  }

  writeRunEnd(flow: string, runId: string, end: RunEndRecord): Promise<void> {
    return writeFileAtomic(join(this.runDir(flow, runId), 'end.json'), JSON.stringify(end, null, 1));
  }

  async listRuns(flow: string): Promise<string[]> {
    const ids = (await listDir(layout.flowRunsDir(this.root, flow))).filter((n) => RUN_ID.test(n));
    return ids.sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
  }

  async deleteRun(flow: string, runId: string): Promise<void> {
    // Blobs are shared between runs (resume clones by reference): they stay.
    await fs.rm(this.runDir(flow, runId), { recursive: true, force: true });
  }

  async listSteps(flow: string, runId: string): Promise<string[]> {
    const dir = this.runDir(flow, runId);
    const out: string[] = [];
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) out.push(e.name);
    }
    return out;
  }

  async listTasks(flow: string, runId: string, step: string): Promise<string[]> {
    const ids = await listDir(join(this.runDir(flow, runId), step));
    return ids.filter((n) => !n.startsWith('.')).sort((a, b) => Number(a) - Number(b));
  }

  writeTaskStart(r: TaskStartRecord): Promise<void> {
    return writeFileAtomic(join(this.taskDir(r.flow, r.runId, r.step, r.taskId), 'start.json'), JSON.stringify(r));
  }

  readTaskStart(flow: string, runId: string, step: string, taskId: string): Promise<TaskStartRecord | undefined> {
    return readJson<TaskStartRecord>(join(this.taskDir(flow, runId, step, taskId), 'start.json'));
  }

  async writeTaskDone(r: TaskRecord): Promise<void> {
    const dir = this.taskDir(r.flow, r.runId, r.step, r.taskId);
    await writeFileAtomic(join(dir, 'task.json'), JSON.stringify(r));
    await writeFileAtomic(join(dir, 'DONE'), r.status);
  }

  async readTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskRecord | undefined> {
    const dir = this.taskDir(flow, runId, step, taskId);
    if (!(await exists(join(dir, 'DONE')))) return undefined;
    const rec = await readJson<TaskRecord>(join(dir, 'task.json'));
    if (!rec)
      throw new DatastoreError(join(dir, 'task.json'), `task ${flow}/${runId}/${step}/${taskId} has a DONE marker but no task.json.`);
    return rec;
  }

  async writeAttempt(r: TaskRecord): Promise<void> {
    await writeFileAtomic(join(this.taskDir(r.flow, r.runId, r.step, r.taskId), attemptFileName(r.attempt ?? 0)), JSON.stringify(r));
  }

  readAttempt(flow: string, runId: string, step: string, taskId: string, attempt: number): Promise<TaskRecord | undefined> {
    return readJson<TaskRecord>(join(this.taskDir(flow, runId, step, taskId), attemptFileName(attempt)));
  }

  private logOf(t: TaskRef, stream: LogStream): string {
    return this.logPath(t.flow, t.runId, t.step, t.taskId, stream, t.attempt);
  }

  openLog(t: TaskRef, stream: LogStream): LogSink {
    return appendSink(this.logOf(t, stream));
  }

  async writeLog(t: TaskRef, stream: LogStream, text: string): Promise<void> {
    const file = this.logOf(t, stream);
    await writeFileAtomic(file, text);
    await completeLog(file);
  }

  async copyLogs(from: TaskRef, to: TaskRef): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = await this.readLog(from.flow, from.runId, from.step, from.taskId, stream, from.attempt);
      if (text) await this.writeLog(to, stream, text);
    }
  }

  async readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, attempt?: number): Promise<string> {
    try {
      return await fs.readFile(this.logPath(flow, runId, step, taskId, stream, attempt), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
      throw err;
    }
  }

  followLog(t: TaskRef, stream: LogStream, o?: FollowOptions): AsyncIterable<string> {
    const file = this.logOf(t, stream);
    const done = join(this.taskDir(t.flow, t.runId, t.step, t.taskId), 'DONE');
    return followLogBy({ read: (offset) => readLogFrom(file, offset), taskDone: () => exists(done), pollMs: 250, graceMs: 3000 }, o);
  }

  logPath(flow: string, runId: string, step: string, taskId: string, stream: LogStream, attempt?: number): string {
    return join(this.taskDir(flow, runId, step, taskId), logFileName(stream, attempt));
  }
}
