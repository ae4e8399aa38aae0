/** Reading a flow file into its graph: every failure is one line naming the file and the fix. */
import { readFileSync, statSync } from 'node:fs';
import { relative, resolve, isAbsolute } from 'node:path';
import { UsageError } from '../errors';
import { parseFlow } from './parse';
import { FlowTooDeepError } from './depth';
import { cachedParse } from './parseCache';
import type { FlowGraph } from './types';

export interface FlowFile {
  /** Absolute path. */
  path: string;
  text: string;
  graph: FlowGraph;
}

/** How a path is shown to the user: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

export function readFlowFile(file: string | undefined, cwd: string): FlowFile {
  if (!file) throw new UsageError('name the flow file, e.g. `flow.ts`.');
  const path = resolve(cwd, file);
  const shown = displayPath(path, cwd);
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`'${shown}' is a directory: name the flow's .ts file instead.`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`cannot find flow file '${shown}': check the path (relative to ${cwd}).`);
    if (code === 'EACCES' || code === 'EPERM')
      throw new UsageError(`cannot read flow file '${shown}': permission denied; make it readable (chmod +r).`);
    throw new UsageError(`cannot read flow file '${shown}': ${(err as Error).message}.`);
  }
  let graph: FlowGraph;
  try {
    // Kept by the text's digest: an unchanged flow is not parsed again (./parseCache.ts).
    graph = cachedParse('graph', [shown, text], () => parseFlow(text, shown));
  } catch (err) {
    if (!(err instanceof FlowTooDeepError)) throw err;
    const { line, character } = err.range.start;
    throw new UsageError(`${shown}:${line + 1}:${character + 1}: ${err.message}`);
  }
  if (graph.flowName === null) {
    const first = graph.syntaxErrors[0];
    const syntax = first ? ` (line ${first.range.start.line + 1} has a syntax error: ${first.message.replace(/\.$/, '')})` : '';
    throw new UsageError(
      `'${shown}' has no flow: no class in it extends FlowSpec${syntax}. Add \`export default class MyFlow extends FlowSpec { … }\` (import { FlowSpec, step } from 'stepwise').`,
    );
  }
  return { path, text, graph };
}
