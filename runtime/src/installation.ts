/**
 * Which Stepwise installation serves a folder — the one decision the editor makes before a run,
 * a resume, a debug session, a terminal's PATH or the language server's lint: a project's own
 * `node_modules/stepwise` (found from the folder upwards, as Node finds packages) when it can be
 * used, else the copy bundled with the extension. Like ESLint's or TypeScript's "workspace
 * version". It only reads package.json files: deciding never runs the project's code.
 *
 * Usable means: the workspace is trusted (its node_modules are the project's code), the package
 * is complete, and it speaks the same editor protocol (package.json `stepwise.editorProtocol`:
 * the CLI's arguments and `--json-events`, the debug adapter, the lint entry, the datastore
 * layout) as the extension.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface Installation {
  /** A project's node_modules/stepwise, or the copy inside the extension. */
  kind: 'workspace' | 'bundled';
  /** The package's folder. */
  root: string;
  version: string;
  /** Its CLI entry: `node <cli> run …`. */
  cli: string;
  /** Its lint entry (`parseFlow`, `lintFlow`) for the language server. */
  tooling: string;
}

/** Why a project's own Stepwise is not used. */
export type RejectReason = 'untrusted' | 'too-old' | 'too-new' | 'broken';

export interface Rejected {
  root: string;
  version: string;
  reason: RejectReason;
  /** What is wrong with a broken installation. */
  detail?: string;
}

export interface Selection {
  use: Installation;
  /** A project installation that was found and not used. */
  rejected?: Rejected;
}

interface Manifest {
  name?: string;
  version?: string;
  stepwise?: { editorProtocol?: number };
}

function readManifest(root: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function installationAt(root: string, kind: Installation['kind'], version: string): Installation {
  return { kind, root, version, cli: join(root, 'dist', 'cli.js'), tooling: join(root, 'dist', 'tooling.js') };
}

/** The editor protocol an installation speaks (0 for one that predates the field). */
export function editorProtocolOf(root: string): number {
  return readManifest(root)?.stepwise?.editorProtocol ?? 0;
}

/** The nearest `node_modules/stepwise` at or above `fromDir`, as Node would resolve it. */
export function findProjectStepwise(fromDir: string): string | undefined {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', 'stepwise');
    if (existsSync(join(root, 'package.json'))) return root;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The installation bundled with the extension (or this repository, while developing it). */
export function bundledInstallation(root: string): Installation {
  return installationAt(root, 'bundled', readManifest(root)?.version ?? '0.0.0');
}

/** Which installation serves `fromDir` (a flow's folder, or a workspace folder). */
export function selectInstallation(fromDir: string, bundledRoot: string, trusted: boolean): Selection {
  const bundled = bundledInstallation(bundledRoot);
  const root = findProjectStepwise(fromDir);
  if (!root || resolve(root) === resolve(bundledRoot)) return { use: bundled };
  const manifest = readManifest(root);
  const version = manifest?.version ?? 'unknown';
  const reject = (reason: RejectReason, detail?: string): Selection => ({ use: bundled, rejected: { root, version, reason, detail } });
  if (!trusted) return reject('untrusted');
  if (!manifest || manifest.name !== 'stepwise') return reject('broken', 'its package.json cannot be read');
  const theirs = manifest.stepwise?.editorProtocol ?? 0;
  const ours = editorProtocolOf(bundledRoot);
  if (theirs < ours) return reject('too-old');
  if (theirs > ours) return reject('too-new');
  const use = installationAt(root, 'workspace', version);
  for (const f of [use.cli, use.tooling, join(root, 'dist', 'task.js')]) {
    if (!existsSync(f)) return reject('broken', `${f.slice(root.length + 1)} is missing`);
  }
  return { use };
}

/** One line on which Stepwise is in use, for a status bar hover: `Stepwise 0.2.0 (this project's node_modules/stepwise)`. */
export function describeInstallation(s: Selection): string {
  const where = s.use.kind === 'workspace' ? `this project's ${s.use.root}` : 'bundled with the extension';
  const why = s.rejected ? ` — the project's ${s.rejected.version} is not used: ${shortReason(s.rejected)}` : '';
  return `Stepwise ${s.use.version} (${where})${why}`;
}

function shortReason(r: Rejected): string {
  switch (r.reason) {
    case 'untrusted':
      return 'the folder is not trusted';
    case 'too-old':
      return 'too old for this extension';
    case 'too-new':
      return 'too new for this extension';
    case 'broken':
      return `incomplete (${r.detail ?? 'broken'})`;
  }
}

/**
 * The one message for a project installation the extension cannot use, naming it and the fix;
 * undefined for an untrusted folder (Restricted Mode says that itself).
 */
export function rejectionMessage(r: Rejected, bundled: Installation): string | undefined {
  const it = `This project's Stepwise ${r.version} (${r.root})`;
  const fallback = `runs, the debugger and the linter use the extension's own Stepwise ${bundled.version} until then`;
  switch (r.reason) {
    case 'untrusted':
      return undefined;
    case 'too-old':
      return `Stepwise: ${it} is too old for this extension. Update it — npm i -D stepwise@${bundled.version} — ${fallback}.`;
    case 'too-new':
      return `Stepwise: ${it} is newer than this extension supports. Update the Stepwise extension, or install the version it supports — npm i -D stepwise@${bundled.version}; ${fallback}.`;
    case 'broken':
      return `Stepwise: ${it} is incomplete: ${r.detail ?? 'it cannot be read'}. Reinstall it — npm i -D stepwise — ${fallback}.`;
  }
}

/** What a flow file is called on a command line (`stepwise run flows/x.ts`). */
const FLOW_FILE = /\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * Which installation serves a command line typed in a terminal (the `stepwise` shim,
 * runtime/src/boot/shim.ts): the one serving the flow file it names — so `stepwise run
 * flows/x.ts` uses what a run of that flow from the editor uses — else the current folder's.
 * Like npx: found from there upwards. The shim is on PATH only in a trusted workspace.
 */
export function selectForCommandLine(args: readonly string[], cwd: string, bundledRoot: string): Selection {
  const file = args.slice(1).find((a) => !a.startsWith('-') && FLOW_FILE.test(a) && existsSync(resolve(cwd, a)));
  return selectInstallation(file ? dirname(resolve(cwd, file)) : cwd, bundledRoot, true);
}
