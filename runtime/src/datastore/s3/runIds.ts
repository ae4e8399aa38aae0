/**
 * Run ids that never collide between machines, without conditional writes (which not every
 * S3-compatible server has). An id is the start time in ms; a machine claims it by writing a
 * claim object of its own under `claims/<id>/` and then listing them: it takes the id only when
 * its claim is the only one there. Safe because S3, MinIO, Ceph RGW and R2 list strongly
 * consistently: of two claimants, the later lister sees the other's claim (written before its own
 * listing) and backs off — as do both when they see each other. A claim that won stays; one
 * that lost is deleted, and the machine tries a later id.
 */
import { randomUUID } from 'node:crypto';
import { DatastoreError } from '../files';
import type { S3Objects } from './objects';

const MAX_TRIES = 50;

export async function claimRunId(objects: S3Objects, flow: string): Promise<string> {
  const me = randomUUID();
  let id = Date.now();
  for (let i = 0; i < MAX_TRIES; i++) {
    const dir = objects.loc.claims(flow, String(id));
    const mine = `${dir}${me}`;
    await objects.put(mine, '');
    const { keys } = await objects.list(dir);
    if (keys.length === 1 && keys[0] === mine) return String(id);
    await objects.delete([mine]);
    // Spread the next attempts of machines that met here, so they do not meet again.
    id = Math.max(Date.now(), id + 1 + Math.floor(Math.random() * 8));
  }
  throw new DatastoreError(
    objects.loc.url,
    `S3 datastore ${objects.loc.url}: could not claim a run id for ${flow} after ${MAX_TRIES} tries.`,
  );
}
