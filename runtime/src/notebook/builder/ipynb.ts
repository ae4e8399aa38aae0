/**
 * A task notebook as an ordinary Jupyter file (nbformat 4.5), which VS Code's built-in `.ipynb`
 * support opens. The kernelspec names the Stepwise kernel, so the extension can prefer it;
 * `metadata.stepwise` says which task the notebook is about.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { locateDatastoreRoot } from '../../datastore/locate';
import { pathspecParts } from '../../pathspec';
import type { TaskNotebook } from './taskNotebook';

export const KERNELSPEC = { name: 'stepwise-typescript', display_name: 'Stepwise (TypeScript)', language: 'typescript' };

/**
 * Where the notebook of a task goes: `.stepwise/notebooks/<Flow>-<run>-<step>-<task>.ipynb` in the
 * project (the nearest `.stepwise/` up from `cwd`, whichever store holds the runs): beside the
 * flow and its runs, ignored with them, found again when the same task is opened again.
 */
export function taskNotebookPath(cwd: string, pathspec: string): string {
  return join(locateDatastoreRoot(cwd, {}), 'notebooks', `${pathspecParts(pathspec).join('-')}.ipynb`);
}

/** Jupyter keeps a cell's source as lines, each but the last ending in a newline. */
function lines(text: string): string[] {
  const parts = text.split('\n');
  return parts.map((l, i) => (i < parts.length - 1 ? `${l}\n` : l)).filter((l, i) => l !== '' || i === 0);
}

export function toIpynb(nb: TaskNotebook): string {
  const id = (i: number) => createHash('sha1').update(`${nb.meta.pathspec}#${i}`).digest('hex').slice(0, 8);
  const cells = nb.cells.map((c, i) =>
    c.kind === 'markdown'
      ? { cell_type: 'markdown', id: id(i), metadata: {}, source: lines(c.source) }
      : { cell_type: 'code', id: id(i), metadata: {}, execution_count: null, outputs: [], source: lines(c.source) },
  );
  const doc = {
    cells,
    metadata: {
      kernelspec: KERNELSPEC,
      language_info: { name: 'typescript', file_extension: '.ts' },
      stepwise: nb.meta,
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(doc, null, 1) + '\n';
}
