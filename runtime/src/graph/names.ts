/** Names with a fixed meaning on a flow object: never steps, never artifacts. */

/** Members every flow inherits from FlowSpec, plus the join argument's conventional name. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'next',
  'input',
  'index',
  'inputs',
  'mergeArtifacts',
  'foreachStack',
  'foreach',
]);

/** `this.<name>` reads of these are the flow API, not artifact reads. */
export const API_MEMBERS: ReadonlySet<string> = new Set(['next', 'input', 'index', 'mergeArtifacts', 'foreachStack']);

/** Names starting with `_` are private to a task and never stored (DESIGN §1). */
export function isPrivateName(name: string): boolean {
  return name.startsWith('_');
}
