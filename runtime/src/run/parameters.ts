/**
 * Parameter values for a new run: the flag (`--k 7`), then `STEPWISE_RUN_<NAME>`, then the
 * declared default. Every mistake names the flag and what it expects, before a run exists.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParameterNode } from '../graph/types';
import { UsageError } from '../errors';
import { projectOptionHint } from './project';

export interface ResolvedParameter {
  node: ParameterNode;
  /** The JSON-safe value; undefined when the default is an expression the task evaluates. */
  value: unknown;
  /** IncludeFile: the file's contents, to be stored as a blob. */
  content?: string | Uint8Array;
  source: 'flag' | 'env' | 'default';
}

/** Parameter flags as given: every occurrence of `--name`, a value or `true` for a bare flag. */
export type ParamFlags = Map<string, Array<string | true>>;

const TYPE_LABEL: Record<ParameterNode['type'], string> = { string: 'String', number: 'Number', boolean: 'Boolean', json: 'JSONType' };

/** The one value a flag gives, or an error when it was repeated or bare where a value is needed. */
function flagValue(node: ParameterNode, given: Array<string | true> | undefined): string | undefined {
  if (!given?.length) return undefined;
  const shown = (v: string | true) => (v === true ? `--${node.name}` : `--${node.name} '${v}'`);
  if (given.length > 1) {
    throw new UsageError(
      `--${node.name} was given ${given.length} times (${given.map(shown).join(', ')}), but it takes one value: no parameter ` +
        `of this flow is a list. For several values, declare it with type: JSONType and pass a JSON list, e.g. --${node.name} '["a","b"]'.`,
    );
  }
  const [value] = given;
  if (value !== true) return value;
  if (node.declaration === 'parameter' && node.type === 'boolean') return 'true';
  const kind = node.declaration === 'includeFile' ? 'an IncludeFile' : `a ${TYPE_LABEL[node.type]} parameter`;
  throw new UsageError(
    `--${node.name} needs a value: it is ${kind}, and only Boolean parameters can be given as a bare flag. ` +
      `Pass --${node.name} ${node.declaration === 'includeFile' ? 'PATH' : 'VALUE'}.`,
  );
}

export function envName(param: string): string {
  return `STEPWISE_RUN_${param.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

function convert(node: ParameterNode, raw: string, where: string): unknown {
  switch (node.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${where} expects a number, got '${raw}'.`);
      return n;
    }
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(raw)) return true;
      if (/^(false|0|no|off)$/i.test(raw)) return false;
      throw new UsageError(`${where} expects a boolean (true or false), got '${raw}'.`);
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch (err) {
        throw new UsageError(`${where} expects JSON, got '${raw}' (${(err as Error).message}).`);
      }
    default:
      return raw;
  }
}

export function resolveParameters(params: ParameterNode[], flags: ParamFlags, env: NodeJS.ProcessEnv, cwd: string): ResolvedParameter[] {
  const known = new Set(params.map((p) => p.name));
  for (const name of flags.keys()) {
    if (!known.has(name)) {
      const list = params.length ? params.map((p) => `--${p.name}`).join(', ') : 'none';
      throw new UsageError(`unknown option --${name}${projectOptionHint(name)}. This flow's parameters: ${list}.`);
    }
  }
  return params.map((node) => {
    const flag = flagValue(node, flags.get(node.name));
    const fromEnv = env[envName(node.name)];
    const raw = flag ?? fromEnv;
    const where = flag !== undefined ? `--${node.name}` : `${envName(node.name)} (for --${node.name})`;
    const source = flag !== undefined ? 'flag' : fromEnv !== undefined ? 'env' : 'default';
    if (node.declaration === 'includeFile') {
      const path = raw ?? (typeof node.default === 'string' ? node.default : undefined);
      if (path === undefined) {
        if (node.required)
          throw new UsageError(`--${node.name} is required${node.help ? ` (${node.help})` : ''}: pass --${node.name} PATH.`);
        return { node, value: undefined, source };
      }
      const file = resolve(cwd, path);
      let content: string | Uint8Array;
      try {
        const bytes = readFileSync(file);
        content = node.isText === false ? new Uint8Array(bytes) : bytes.toString('utf8');
      } catch (err) {
        throw new UsageError(
          `--${node.name}: cannot read the file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`,
        );
      }
      return { node, value: path, content, source };
    }
    if (raw !== undefined) return { node, value: convert(node, raw, where), source };
    if (node.required) {
      throw new UsageError(
        `--${node.name} is required${node.help ? ` (${node.help})` : ''}: pass --${node.name} VALUE or set ${envName(node.name)}.`,
      );
    }
    if (node.default !== undefined) {
      const value =
        node.type === 'json' && typeof node.default === 'string'
          ? convert(node, node.default, `the default of --${node.name}`)
          : node.default;
      return { node, value, source };
    }
    return { node, value: undefined, source };
  });
}
