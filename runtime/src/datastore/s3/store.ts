/**
 * The S3 datastore: the same records, blobs and logs as the local store, in a bucket (layout in
 * ./location.ts), with a cache on this machine for the immutable things. Everything a record
 * guarantees locally holds here too: blobs are verified against their hash whenever they are
 * read, a task's final record is one object written last (whole or absent), run ids are claimed
 * (./runIds.ts), and a large artifact becomes visible only once all its parts are in.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { decodeVerified, encodeStored } from '../../serialize/codec';
import { mapLimit } from '../../util/mapLimit';
import type { Datastore, FollowOptions, LogSink, LogStream, TaskRef } from '../datastore';
import { DatastoreError, writeFileAtomic } from '../files';
import { attemptFileName, logFileName } from '../attempts';
import { followLogBy } from '../follow';
import type { S3DatastoreSpec } from '../spec';
import type { RunEndRecord, RunRecord, TaskRecord, TaskStartRecord } from '../types';
import { BlobCache } from './blobCache';
import { makeS3Client } from './client';
import { S3Location } from './location';
import { COMPLETE, readS3LogFrom, s3LogSink } from './logs';
import { S3Objects } from './objects';
import { claimRunId } from './runIds';
import { SyncFetcher } from './syncFetch';
import { runPathspec } from '../../pathspec';

const RUN_ID = /^\d+$/;
/** Blobs fetched at once when a step's inputs are prefetched. */
const PREFETCH_CONCURRENCY = 8;

export class S3Datastore implements Datastore {
  readonly location: string;
  readonly codeCacheDir: string;
  private readonly loc: S3Location;
  private readonly objects: S3Objects;
  private readonly cache: BlobCache;
  private sync: SyncFetcher | undefined;
  /** Blobs known to be in the bucket (written or seen by this process). */
  private readonly present = new Set<string>();

  constructor(
    readonly spec: S3DatastoreSpec,
    s3: S3Client = makeS3Client(),
  ) {
    this.loc = new S3Location(spec.sysroot);
    this.location = spec.sysroot;
    this.objects = new S3Objects(s3, this.loc);
    this.cache = new BlobCache(this.loc.cacheDir(spec.cacheDir));
    this.codeCacheDir = this.cache.codeDir();
  }

  // ---- blobs

  async putBlob(flow: string, hash: string, serialized: Buffer): Promise<void> {
    const key = this.loc.blob(flow, hash);
    const stored = await encodeStored(serialized, 'compressed');
    // The producer's machine keeps a copy: its next tasks read it from here.
    await this.cache.write(flow, hash, stored);
    if (this.present.has(key)) return;
    // Written once: a blob that is there already is the same bytes (its name is their hash).
    if (stored.length > 64 * 1024 && (await this.objects.head(key))) {
      this.present.add(key);
      return;
    }
    await this.objects.put(key, stored);
    this.present.add(key);
  }

  async getBlob(flow: string, hash: string): Promise<Buffer> {
    const cached = this.cache.readSync(flow, hash);
    if (cached) return decodeVerified(cached, hash, this.cache.blobPath(flow, hash));
    return decodeVerified(await this.fetchToCache(flow, hash), hash, `${this.location}/${this.loc.blob(flow, hash)}`);
  }

  /** Downloads a blob into this machine's cache (verified first); returns its stored bytes. */
  async fetchToCache(flow: string, hash: string): Promise<Buffer> {
    const key = this.loc.blob(flow, hash);
    const got = await this.objects.get(key);
    if (!got) {
      throw new DatastoreError(
        key,
        `artifact blob ${hash.slice(0, 12)}… of flow ${flow} is missing from ${this.location}. Was the datastore pruned?`,
      );
    }
    decodeVerified(got.body, hash, `${this.location}/${key}`);
    await this.cache.write(flow, hash, got.body);
    this.present.add(key);
    return got.body;
  }

  async hasBlob(flow: string, hash: string): Promise<boolean> {
    const key = this.loc.blob(flow, hash);
    if (this.present.has(key)) return true;
    return !!(await this.objects.head(key));
  }

  getBlobSync(flow: string, hash: string): Buffer {
    let stored = this.cache.readSync(flow, hash);
    if (!stored) {
      // Not fetched ahead (a read the static graph did not show): fetch it now, blocking this thread.
      this.sync ??= new SyncFetcher(this.spec);
      this.sync.fetch(flow, hash);
      stored = this.cache.readSync(flow, hash);
      if (!stored)
        throw new DatastoreError(
          this.cache.blobPath(flow, hash),
          `artifact blob ${hash.slice(0, 12)}… was fetched but is not in the cache.`,
        );
    }
    return decodeVerified(stored, hash, this.cache.blobPath(flow, hash));
  }

  async prefetchBlobs(flow: string, hashes: string[]): Promise<void> {
    const missing = [...new Set(hashes)].filter((h) => !existsSync(this.cache.blobPath(flow, h)));
    await mapLimit(missing, PREFETCH_CONCURRENCY, (h) => this.fetchToCache(flow, h));
  }

  /** Ends the helper thread of synchronous reads, if one was started. */
  close(): void {
    this.sync?.close();
    this.sync = undefined;
  }

  // ---- code packages

  async putCodePackage(flow: string, hash: string, localFile: string): Promise<void> {
    const key = this.loc.code(flow, hash);
    if (await this.objects.head(key)) return;
    await this.objects.put(key, await fs.readFile(localFile));
  }

  async codePackagePath(flow: string, hash: string): Promise<string> {
    const file = join(this.codeCacheDir, `flow-${hash}.js`);
    if (existsSync(file)) return file;
    const got = await this.objects.get(this.loc.code(flow, hash));
    if (!got)
      throw new DatastoreError(this.loc.code(flow, hash), `the code package ${hash} of flow ${flow} is missing from ${this.location}.`);
    await writeFileAtomic(file, got.body);
    return file;
  }

  // ---- runs

  async listFlows(): Promise<string[]> {
    const { prefixes } = await this.objects.list(this.loc.dir());
    return prefixes.filter((n) => !n.startsWith('.')).sort();
  }

  async createRun(record: Omit<RunRecord, 'runId' | 'pathspec'>): Promise<RunRecord> {
    const runId = await claimRunId(this.objects, record.flow);
    const full: RunRecord = { ...record, runId, pathspec: runPathspec(record.flow, runId) };
    await this.putJson(this.loc.run(record.flow, runId, 'run.json'), full);
    return full;
  }

  async readRun(flow: string, runId: string): Promise<RunRecord> {
    const key = this.loc.run(flow, runId, 'run.json');
    const rec = await this.getJson<RunRecord>(key);
    if (!rec) throw new DatastoreError(key, `run ${flow}/${runId} not found in ${this.location}.`);
    const tags = await this.getJson<string[]>(this.loc.run(flow, runId, 'tags.json'));
    return tags ? { ...rec, tags } : rec;
  }

  writeRunTags(flow: string, runId: string, tags: string[]): Promise<void> {
    return this.putJson(this.loc.run(flow, runId, 'tags.json'), tags);
  }

  readRunEnd(flow: string, runId: string): Promise<RunEndRecord | undefined> {
    return this.getJson<RunEndRecord>(this.loc.run(flow, runId, 'end.json'));
  }

  writeRunEnd(flow: string, runId: string, end: RunEndRecord): Promise<void> {
    return this.putJson(this.loc.run(flow, runId, 'end.json'), end);
  }

  async listRuns(flow: string): Promise<string[]> {
    const ids = (await this.objects.list(this.loc.runs(flow))).prefixes.filter((n) => RUN_ID.test(n));
    return ids.sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : BigInt(b) < BigInt(a) ? -1 : 0));
  }

  async deleteRun(flow: string, runId: string): Promise<void> {
    // Blobs are shared between runs (resume clones by reference): they stay.
    await this.objects.delete(await this.objects.listAll(this.loc.run(flow, runId)));
  }

  // ---- tasks

  async listSteps(flow: string, runId: string): Promise<string[]> {
    return (await this.objects.list(this.loc.run(flow, runId))).prefixes;
  }

  async listTasks(flow: string, runId: string, step: string): Promise<string[]> {
    const ids = (await this.objects.list(`${this.loc.run(flow, runId)}${step}/`)).prefixes;
    return ids.filter((n) => !n.startsWith('.')).sort((a, b) => Number(a) - Number(b));
  }

  writeTaskStart(r: TaskStartRecord): Promise<void> {
    return this.putJson(this.loc.task(r, 'start.json'), r);
  }

  readTaskStart(flow: string, runId: string, step: string, taskId: string): Promise<TaskStartRecord | undefined> {
    return this.getJson<TaskStartRecord>(this.loc.task({ flow, runId, step, taskId }, 'start.json'));
  }

  /** The final record is the DONE object itself: one PUT, so a task is finished exactly when it is readable. */
  writeTaskDone(r: TaskRecord): Promise<void> {
    return this.putJson(this.loc.task(r, 'DONE'), r);
  }

  readTask(flow: string, runId: string, step: string, taskId: string): Promise<TaskRecord | undefined> {
    return this.getJson<TaskRecord>(this.loc.task({ flow, runId, step, taskId }, 'DONE'));
  }

  writeAttempt(r: TaskRecord): Promise<void> {
    return this.putJson(this.loc.task(r, attemptFileName(r.attempt ?? 0)), r);
  }

  readAttempt(flow: string, runId: string, step: string, taskId: string, attempt: number): Promise<TaskRecord | undefined> {
    return this.getJson<TaskRecord>(this.loc.task({ flow, runId, step, taskId }, attemptFileName(attempt)));
  }

  // ---- logs

  private logKey(t: TaskRef, stream: LogStream): string {
    return this.loc.task(t, logFileName(stream, t.attempt));
  }

  openLog(t: TaskRef, stream: LogStream): LogSink {
    return s3LogSink(this.objects, this.logKey(t, stream));
  }

  writeLog(t: TaskRef, stream: LogStream, text: string): Promise<void> {
    return this.objects.put(this.logKey(t, stream), text, COMPLETE);
  }

  async copyLogs(from: TaskRef, to: TaskRef): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) await this.objects.copy(this.logKey(from, stream), this.logKey(to, stream));
  }

  async readLog(flow: string, runId: string, step: string, taskId: string, stream: LogStream, attempt?: number): Promise<string> {
    const got = await this.objects.get(this.logKey({ flow, runId, step, taskId, attempt }, stream));
    return got ? got.body.toString('utf8') : '';
  }

  followLog(t: TaskRef, stream: LogStream, o?: FollowOptions): AsyncIterable<string> {
    const key = this.logKey(t, stream);
    return followLogBy(
      {
        read: (offset) => readS3LogFrom(this.objects, key, offset),
        taskDone: async () => !!(await this.objects.head(this.loc.task(t, 'DONE'))),
        pollMs: 1000,
        graceMs: 3 * 2000,
      },
      o,
    );
  }

  // ---- JSON records

  private async getJson<T>(key: string): Promise<T | undefined> {
    const got = await this.objects.get(key);
    if (!got) return undefined;
    try {
      return JSON.parse(got.body.toString('utf8')) as T;
    } catch {
      throw new DatastoreError(
        key,
        `damaged datastore object ${this.location}/${key}: it is not valid JSON. Delete the run that holds it, or resume it to write the task again.`,
      );
    }
  }

  private putJson(key: string, value: unknown): Promise<void> {
    return this.objects.put(key, JSON.stringify(value));
  }
}
