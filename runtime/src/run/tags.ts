/**
 * Run tags, as in Metaflow: user tags (`--tag`, `stepwise tag`, `run.addTag`) that can change,
 * and system tags every run carries from its start (`user:<name>`, `runtime:stepwise`, and under
 * `@project` `project:<name>`, `project_branch:<branch>`), which cannot be added or removed.
 */
import type { RunRecord } from '../datastore/types';

/** Prefixes of system tags: a user tag may not start with one (it would pass for a system tag). */
export const SYSTEM_TAG_PREFIXES = ['user:', 'runtime:', 'project:', 'project_branch:'] as const;

const MAX_TAG = 512;

export function isSystemTag(tag: string): boolean {
  return SYSTEM_TAG_PREFIXES.some((p) => tag.startsWith(p));
}

/** Why a user tag cannot be used, or undefined when it can. */
export function userTagProblem(tag: string): string | undefined {
  if (!tag.trim()) return 'a tag cannot be empty.';
  if (tag.length > MAX_TAG) return `tag '${tag.slice(0, 40)}…' is longer than ${MAX_TAG} characters.`;
  if (isSystemTag(tag)) {
    return `'${tag}' is a system tag (${SYSTEM_TAG_PREFIXES.map((p) => `${p}…`).join(', ')}): the runtime sets those and they cannot be added or removed. Use another tag.`;
  }
  return undefined;
}

/** The system tags of a new run. */
export function systemTagsFor(user: string, project?: { name: string; branch: string }): string[] {
  const tags = [`user:${user}`, 'runtime:stepwise'];
  if (project) tags.push(`project:${project.name}`, `project_branch:${project.branch}`);
  return tags;
}

/** A run's system tags; a run recorded before they were kept gets those its record implies. */
export function systemTagsOf(run: RunRecord): string[] {
  return run.systemTags ?? systemTagsFor(run.user);
}
