/**
 * Which parser and linter read a document: those of the Stepwise installation that serves its
 * folder (runtime/src/installation.ts — a project's own `node_modules/stepwise` when it can be
 * used, so the editor says what that version's `stepwise check` says), else the server's own.
 * A project's installation is its code: it is loaded only once the client says the workspace
 * is trusted (initializationOptions), and a copy that fails to load falls back to the server's
 * own, logged once.
 */
import { dirname, sep } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import type { FlowGraph } from '../../runtime/src/graph/types';
import { selectInstallation, type Installation } from '../../runtime/src/installation';
import { lintFlow } from '../../runtime/src/lint';
import type { FlowDiagnostic } from '../../runtime/src/lint/types';
import { packageRoot } from '../../runtime/src/paths';

export interface Linter {
  parseFlow(text: string, fileName: string): FlowGraph;
  lintFlow(graph: FlowGraph): FlowDiagnostic[];
}

const own: Linter = { parseFlow, lintFlow };
const loaded = new Map<string, { version: string; linter: Linter }>();
const failed = new Set<string>();
let trusted = false;
let log: (message: string) => void = () => undefined;

export function configureLinters(o: { trusted: boolean; log: (message: string) => void }): void {
  trusted = o.trusted;
  log = o.log;
}

function load(use: Installation): Linter {
  const cached = loaded.get(use.root);
  if (cached?.version === use.version) return cached.linter;
  const key = `${use.root}@${use.version}`;
  if (failed.has(key)) return own;
  // An upgraded installation (npm i in place): forget the old version's modules first.
  for (const id of Object.keys(require.cache)) if (id.startsWith(use.root + sep)) delete require.cache[id];
  try {
    const m = require(use.tooling) as Partial<Linter>;
    if (typeof m.parseFlow !== 'function' || typeof m.lintFlow !== 'function') throw new Error('it exports no parseFlow/lintFlow');
    const linter: Linter = { parseFlow: m.parseFlow, lintFlow: m.lintFlow };
    loaded.set(use.root, { version: use.version, linter });
    log(`stepwise: linting with ${use.root} (Stepwise ${use.version})`);
    return linter;
  } catch (e) {
    failed.add(key);
    log(`stepwise: cannot load ${use.tooling}: ${e instanceof Error ? e.message : String(e)}; linting with the extension's own Stepwise`);
    return own;
  }
}

/** The parser and linter for a file (a path; `undefined` for a document that is not a file). */
export function linterFor(fileName: string | undefined): Linter {
  if (!fileName) return own;
  const { use } = selectInstallation(dirname(fileName), packageRoot(), trusted);
  return use.kind === 'workspace' ? load(use) : own;
}
