/**
 * Computes a new run's function defaults before the run exists (task/functionDefaults.ts has
 * the why): one short child process loads the compiled flow and calls them with the run's
 * context. Only when some parameter left to its default may be a function, so a flow without one
 * pays nothing.
 */
import { spawn } from 'node:child_process';
import type { ProjectRecord } from '../datastore/types';
import { UsageError } from '../errors';
import { DEFAULTS_ARG, parameterContext, type DefaultsReply, type DefaultsRequest } from '../task/functionDefaults';
import type { ResolvedParameter } from './parameters';

/** A default that may be a function: written as one, or as a name or member the graph cannot see through. */
function mayBeFunction(r: ResolvedParameter): boolean {
  const n = r.node;
  if (r.source !== 'default' || n.declaration !== 'parameter' || n.defaultText === undefined) return false;
  return n.defaultFunction === true || /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(n.defaultText.trim());
}

export interface DefaultsSite {
  bundle: string;
  flowFile: string;
  flow: string;
  user: string;
  project: ProjectRecord | undefined;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The task runtime's dist/task.js (the run's copy, scheduler/taskRuntime.ts). */
  entry: string;
}

/** Fills in the value of each parameter whose default is a function; a failing one is a UsageError naming it. */
export async function computeFunctionDefaults(resolved: ResolvedParameter[], site: DefaultsSite): Promise<void> {
  const pending = resolved.filter(mayBeFunction);
  if (!pending.length) return;
  const request: DefaultsRequest = {
    bundle: site.bundle,
    flowFile: site.flowFile,
    flow: site.flow,
    parameters: pending.map((r) => ({ name: r.node.name, type: r.node.type })),
    context: parameterContext(site.flow, site.user, site.project),
  };
  const reply = await ask(request, site);
  if (!reply.ok) {
    const stack = reply.stack ? `\n${indent(reply.stack)}` : '';
    throw new UsageError(`${reply.message}${stack}\nNo run was started.`);
  }
  for (const r of pending) if (r.node.name in reply.values) r.value = reply.values[r.node.name];
}

function ask(request: DefaultsRequest, site: DefaultsSite): Promise<DefaultsReply> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [site.entry, DEFAULTS_ARG, JSON.stringify(request)], {
      cwd: site.cwd,
      env: site.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let reply: DefaultsReply | undefined;
    let output = '';
    const keep = (b: Buffer) => {
      if (output.length < 8000) output += b.toString('utf8');
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.on('message', (m) => (reply = m as DefaultsReply));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (reply) return resolve(reply);
      const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
      resolve({
        ok: false,
        message: `computing the flow's function defaults failed: the process ${how}.${output ? `\n${output.trimEnd()}` : ''}`,
      });
    });
  });
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l.trim()}`)
    .join('\n');
}
