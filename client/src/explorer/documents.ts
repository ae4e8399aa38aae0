/**
 * What the read-only artifact and log editors show, and their URIs — plain Node, over the
 * runtime's client API. An artifact's serialised size is checked before its value is loaded:
 * past `loadLimit` the editor gets a summary instead of the value.
 */
import { Task } from '../../../runtime/src/client';
import { parseTaskPathspec, pathspecParts } from '../../../runtime/src/pathspec';
import { formatBytes } from './model';
import { renderValue, type RenderOptions } from '../../../runtime/src/serialize/render';

export const ARTIFACT_SCHEME = 'stepwise-artifact';
export const LOG_SCHEME = 'stepwise-log';

/** Where an artifact or log lives: the datastore root plus a pathspec. */
export interface DocumentRef {
  root: string;
  /** `Flow/run/step/task` */
  pathspec: string;
  /** The artifact name, or the log stream. */
  name: string;
}

/** Between the name and the step/task in a tab's title: `items · train∕3`. */
const TITLE_SEPARATOR = ' · ';
/** U+2215 DIVISION SLASH: looks like `/` in a tab title without being a path separator. */
const TITLE_SLASH = '\u2215';

/**
 * `stepwise-artifact:/Flow/run/step/task/items · step∕task?root=…`: the last segment is the
 * tab's title (`items · train∕3`, so tabs of the same artifact in different tasks tell
 * themselves apart), the rest its description; the datastore root travels in the query.
 */
export function refToUri(scheme: string, ref: DocumentRef): { scheme: string; path: string; query: string } {
  const task = parseTaskPathspec(ref.pathspec);
  const title = `${ref.name}${TITLE_SEPARATOR}${task?.step}${TITLE_SLASH}${task?.taskId}`;
  return { scheme, path: `/${ref.pathspec}/${title}`, query: new URLSearchParams({ root: ref.root }).toString() };
}

export function uriToRef(path: string, query: string): DocumentRef {
  const parts = pathspecParts(path);
  if (parts.length !== 5) throw new Error(`not a Stepwise artifact or log address: ${path} (expected /Flow/run/step/task/name)`);
  const root = new URLSearchParams(query).get('root');
  if (!root) throw new Error(`the address ${path} names no datastore (?root=…)`);
  // The title's step/task repeats the path: the name is what comes before it.
  return { root, pathspec: parts.slice(0, 4).join('/'), name: parts[4].split(TITLE_SEPARATOR)[0] };
}

export interface ArtifactTextOptions extends RenderOptions {
  /** Serialised size above which the value is not loaded (default 32 MB). */
  loadLimit?: number;
}

export async function artifactText(ref: DocumentRef, o: ArtifactTextOptions = {}): Promise<string> {
  const loadLimit = o.loadLimit ?? 32 * 1024 * 1024;
  const task = await Task(ref.pathspec, { root: ref.root, namespace: null });
  const rec = task.artifactRecord(ref.name);
  const head = `// ${ref.pathspec}/${ref.name} — ${rec?.type ?? '?'}, ${rec ? formatBytes(rec.size) : '?'} serialised (read-only)\n`;
  if (rec && rec.size > loadLimit) {
    return (
      head +
      `// Not loaded: ${formatBytes(rec.size)} is past the editor's limit of ${formatBytes(loadLimit)}.\n` +
      `// Preview: ${rec.preview}\n` +
      `// Read it in code: (await Task('${ref.pathspec}')).data('${ref.name}')  (import { Task } from 'stepwise/client')\n` +
      `// or on the command line: stepwise dump ${ref.pathspec}  (prints a summary of big values)\n`
    );
  }
  const value = await task.data(ref.name);
  const r = renderValue(value, o);
  const max = o.maxChars ?? 200_000;
  return head + r.text + (r.truncated ? `\n\n// … truncated: only the first ${max.toLocaleString('en-US')} characters are shown.\n` : '\n');
}

/** A log: `stdout`/`stderr` (the task's last attempt), or `stdout.<n>` for attempt n (`@retry`). */
export async function logText(ref: DocumentRef): Promise<string> {
  const m = /^(stdout|stderr)(?:\.(\d+))?$/.exec(ref.name);
  if (!m) throw new Error(`unknown log stream '${ref.name}': expected stdout or stderr (or stdout.<attempt>)`);
  const task = await Task(ref.pathspec, { root: ref.root, namespace: null });
  const stream = m[1] as 'stdout' | 'stderr';
  return m[2] === undefined ? task.log(stream) : task.log(stream, Number(m[2]));
}
