/**
 * File names of a task's attempts, the same in every store (layout 2, docs/DATASTORE.md): the
 * first attempt keeps layout 1's names, so a task that ran once looks exactly as it did there.
 *
 *   stdout.log, stderr.log          attempt 0's output        stdout.<n>.log, stderr.<n>.log   attempt n's
 *   attempt.<n>.json                the record of attempt n, when a later attempt followed it
 */
import type { LogStream } from './datastore';

export function logFileName(stream: LogStream, attempt = 0): string {
  return attempt ? `${stream}.${attempt}.log` : `${stream}.log`;
}

export function attemptFileName(attempt: number): string {
  return `attempt.${attempt}.json`;
}
