/**
 * Where things are in an S3 datastore (`s3://bucket/prefix`), mirroring the local layout:
 *
 *   <prefix>/<Flow>/data/<hh>/<sha256>                  artifact blobs (header + payload), written once
 *   <prefix>/<Flow>/code/flow-<hash>.js                 code packages: the compiled flow of a run
 *   <prefix>/<Flow>/claims/<runId>/<uuid>               run id claims (see runIds.ts)
 *   <prefix>/<Flow>/runs/<runId>/run.json, end.json     run records
 *   <prefix>/<Flow>/runs/<runId>/<step>/<taskId>/start.json
 *   …/<taskId>/DONE                                     the final task record: one PUT, so it is whole or absent
 *   …/<taskId>/stdout.log, stderr.log                   rewritten whole as the task runs; metadata marks the last
 *   …/<taskId>/stdout.<n>.log, attempt.<n>.json         attempt n's output, and its record when another followed
 */
import { join } from 'node:path';
import type { TaskRef } from '../datastore';

export class S3Location {
  readonly bucket: string;
  /** The key prefix without slashes at either end ('' for the bucket's root). */
  readonly prefix: string;

  constructor(readonly url: string) {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) throw new Error(`not an S3 location: ${url}`);
    this.bucket = m[1];
    this.prefix = m[2].replace(/^\/+|\/+$/g, '');
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].filter(Boolean).join('/');
  }
  /** A "folder" to list under: the key with a trailing slash. */
  dir(...parts: string[]): string {
    const k = this.key(...parts);
    return k ? `${k}/` : '';
  }

  blob(flow: string, hash: string): string {
    return this.key(flow, 'data', hash.slice(0, 2), hash);
  }
  code(flow: string, hash: string): string {
    return this.key(flow, 'code', `flow-${hash}.js`);
  }
  claims(flow: string, runId: string): string {
    return this.dir(flow, 'claims', runId);
  }
  run(flow: string, runId: string, file?: string): string {
    return file ? this.key(flow, 'runs', runId, file) : this.dir(flow, 'runs', runId);
  }
  runs(flow: string): string {
    return this.dir(flow, 'runs');
  }
  task(t: Pick<TaskRef, 'flow' | 'runId' | 'step' | 'taskId'>, file: string): string {
    return this.key(t.flow, 'runs', t.runId, t.step, t.taskId, file);
  }

  /** This machine's cache folder for the store (blobs and code packages are immutable, so shared by every run). */
  cacheDir(base: string): string {
    return join(base, 's3', this.bucket, ...(this.prefix ? this.prefix.split('/') : []));
  }
}
