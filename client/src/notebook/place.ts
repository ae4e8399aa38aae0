/**
 * Where a notebook's kernel runs (pure: no vscode import). Relative imports in cells resolve from
 * the notebook's folder, as in Jupyter. A task notebook in `.stepwise/notebooks/` runs in the
 * project folder, where the task ran (a step reading `data/x.csv` finds it), and with the store
 * the task is in.
 */
import { homedir } from 'node:os';
import { basename, dirname } from 'node:path';
import { datastoreEnv } from '../../../runtime/src/datastore/resolve';
import type { TaskNotebookMeta } from '../../../runtime/src/notebook/builder/taskNotebook';

export interface KernelPlace {
  cwd: string;
  notebookDir: string;
  env: Record<string, string>;
}

export function kernelPlace(
  notebookPath: string | undefined,
  workspaceFolder: string | undefined,
  meta: TaskNotebookMeta | undefined,
): KernelPlace {
  const notebookDir = notebookPath ? dirname(notebookPath) : (workspaceFolder ?? homedir());
  const inStore = basename(notebookDir) === 'notebooks' && basename(dirname(notebookDir)) === '.stepwise';
  return {
    notebookDir,
    cwd: inStore ? dirname(dirname(notebookDir)) : notebookDir,
    env: meta?.datastore ? datastoreEnv(meta.datastore) : {},
  };
}

/** `metadata.stepwise` of an .ipynb as VS Code's serializer hands it over (older versions nest it under `custom`). */
export function taskNotebookMeta(metadata: Record<string, unknown> | undefined): TaskNotebookMeta | undefined {
  const m = metadata as { metadata?: { stepwise?: TaskNotebookMeta }; custom?: { metadata?: { stepwise?: TaskNotebookMeta } } } | undefined;
  const meta = m?.metadata?.stepwise ?? m?.custom?.metadata?.stepwise;
  return meta && typeof meta.pathspec === 'string' && typeof meta.flowFile === 'string' ? meta : undefined;
}
