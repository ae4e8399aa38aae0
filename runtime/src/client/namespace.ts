/**
 * Namespaces, with Metaflow's semantics: the client sees only runs carrying the namespace tag.
 * The default is `user:<current user>` (the same user-name lookup runs use), so that a user's
 * code never picks up another user's or production's results by accident; `namespace(null)`
 * is the global namespace (every run). The setting is per process, like Metaflow's.
 */
import { username } from '../util/username';
import { NotFoundError } from './errors';

/** undefined: not chosen yet (the default is taken at first use, as Metaflow does lazily). */
let chosen: string | null | undefined;

/** Switches the namespace for every client object made afterwards; null is global. Returns it. */
export function namespace(ns: string | null): string | null {
  if (ns !== null && (typeof ns !== 'string' || !ns.trim())) {
    throw new TypeError(
      `namespace() takes a tag such as 'user:alice' or 'project_branch:prod', or null for all runs; got ${JSON.stringify(ns)}.`,
    );
  }
  chosen = ns;
  return chosen;
}

/** The namespace in use: a tag, or null (global). */
export function getNamespace(): string | null {
  if (chosen === undefined) defaultNamespace();
  return chosen as string | null;
}

/** Resets the namespace to the default, `user:<current user>`, and returns it. */
export function defaultNamespace(): string {
  chosen = `user:${username(process.env)}`;
  return chosen;
}

/** A run found by its pathspec but outside the namespace: says so, and how to widen it. */
export class NamespaceMismatchError extends NotFoundError {
  constructor(pathspec: string, ns: string, tags: string[]) {
    const own = tags.find((t) => t.startsWith('user:'));
    super(
      `run ${pathspec} is not in the namespace '${ns}' (its tags: ${tags.join(', ')}). ` +
        `To read it, widen the namespace: namespace(null) for every run${own ? `, or namespace('${own}')` : ''} ` +
        `(import { namespace } from 'stepwise/client'), or pass { namespace: null } to this call.`,
    );
    this.name = 'NamespaceMismatchError';
  }
}
