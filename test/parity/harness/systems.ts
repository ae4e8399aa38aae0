/**
 * Runs a case's commands under each system in a fresh folder of its own: the Python original
 * under real Metaflow (`python3 flow.py run …`), the TypeScript translation under Stepwise
 * (`node dist/cli.js run flow.ts …`), and extracts each run (model.ts).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ParityCase, ParityCommand } from './case';
import { extractStepwise } from './extractStepwise';
import { normaliseOutput, printedRunId, sortTasks, type CaseResult, type CommandResult, type Plain, type RunExtract } from './model';

export const repoRoot = join(__dirname, '..', '..', '..', '..');
export const testRoot = join(repoRoot, 'test');
const extractor = join(testRoot, 'parity', 'extract_metaflow.py');

export interface MetaflowInstall {
  python: string;
  /** Added to PYTHONPATH: a source checkout's root (absent for an installed package). */
  source?: string;
  /** The `metaflow` package folder (its tutorials are in `tutorials/`). */
  packageDir: string;
  version: string;
}

interface Proc {
  code: number | null;
  out: string;
}

function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 1_800_000): Promise<Proc> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, out: `${out}\n${cmd}: ${e.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/**
 * Metaflow from `STEPWISE_METAFLOW_SRC` (a source checkout), else `.cache/metaflow-src` in the
 * repository, else a `metaflow` package the machine's `python3` (or `STEPWISE_PYTHON`) imports.
 * Returns why not when there is none.
 */
export async function findMetaflow(env: NodeJS.ProcessEnv = process.env): Promise<MetaflowInstall | { missing: string }> {
  const python = env.STEPWISE_PYTHON || 'python3';
  const candidates = [env.STEPWISE_METAFLOW_SRC, join(repoRoot, '.cache', 'metaflow-src')].filter((x): x is string => !!x);
  const source = candidates.find((d) => existsSync(join(d, 'metaflow', '__init__.py')));
  if (env.STEPWISE_METAFLOW_SRC && source !== env.STEPWISE_METAFLOW_SRC)
    return {
      missing: `STEPWISE_METAFLOW_SRC=${env.STEPWISE_METAFLOW_SRC} holds no metaflow/__init__.py (a checkout of github.com/Netflix/metaflow)`,
    };
  const probe = await exec(
    python,
    ['-c', 'import os, metaflow.metaflow_version as v, metaflow; print(os.path.dirname(metaflow.__file__)); print(v.get_version())'],
    repoRoot,
    { ...env, ...(source ? { PYTHONPATH: source } : {}) },
    120_000,
  );
  if (probe.code !== 0) {
    const why = /ENOENT|not found/.test(probe.out) ? `${python} is not on PATH` : `${python} cannot import metaflow`;
    return {
      missing: `${why}. Set STEPWISE_METAFLOW_SRC to a checkout of github.com/Netflix/metaflow (or put one in .cache/metaflow-src).`,
    };
  }
  const [packageDir, version] = probe.out.trim().split('\n').slice(-2);
  return { python, source, packageDir, version };
}

function casePath(rel: string, mf: MetaflowInstall | undefined): string {
  if (!rel.startsWith('metaflow:')) return join(testRoot, rel);
  if (!mf) throw new Error(`${rel} is read from Metaflow's sources, which are not present`);
  return join(mf.packageDir, rel.slice('metaflow:'.length));
}

/** A fresh folder holding the case's flow files (one language) and extra files. */
function prepareFolder(
  c: ParityCase,
  lang: 'python' | 'typescript',
  mf: MetaflowInstall | undefined,
  override?: Map<number, string>,
): { dir: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), `stepwise-parity-${c.name}-`));
  const files = c.flows.map((f, n) => {
    const src = override?.get(n) ?? casePath(f[lang], mf);
    const dest = join(dir, basename(src));
    copyFileSync(src, dest);
    return dest;
  });
  for (const [name, file] of Object.entries(c.files ?? {})) {
    if (typeof file === 'string') writeFileSync(join(dir, name), file);
    else if (!file.only || file.only === lang) copyFileSync(join(testRoot, file.from), join(dir, name));
  }
  return { dir, files };
}

function applyPatch(files: string[], edits: Array<[string, string]>): void {
  for (const [from, to] of edits) {
    const file = files.find((f) => readFileSync(f, 'utf8').includes(from));
    if (!file) throw new Error(`patch: no flow file holds ${JSON.stringify(from)}`);
    writeFileSync(file, readFileSync(file, 'utf8').replace(from, to));
  }
}

function substitute(args: string[], ids: string[]): string[] {
  return args.map((a) => a.replace(/\{run:(\d+)\}/g, (_, n: string) => ids[Number(n)] ?? `<no run from command ${n}>`));
}

/** Run ids differ between the systems: in artifact values, the id of command N's run reads `{run:N}`. */
function maskRunIds(run: RunExtract | null, ids: string[]): RunExtract | null {
  const mask = (v: Plain): Plain => {
    if (typeof v === 'string') return ids.reduce((s, id, n) => (id ? s.split(id).join(`{run:${n}}`) : s), v);
    if (Array.isArray(v)) return v.map(mask);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]));
    return v;
  };
  if (!run) return null;
  run.tasks = sortTasks(run.tasks);
  for (const t of run.tasks) for (const k of Object.keys(t.artifacts)) t.artifacts[k] = mask(t.artifacts[k]);
  return run;
}

type Runner = (
  cmd: ParityCommand,
  file: string,
  args: string[],
) => Promise<{ proc: Proc; extract: (runId: string) => Promise<RunExtract | null> }>;

async function runCommands(
  c: ParityCase,
  lang: 'python' | 'typescript',
  dir: string,
  files: string[],
  runner: Runner,
): Promise<CommandResult[]> {
  const results: CommandResult[] = [];
  const ids: string[] = [];
  for (const cmd of c.commands) {
    const file = files[cmd.flow ?? 0];
    if (cmd.patch) applyPatch(files, cmd.patch[lang]);
    const { proc, extract } = await runner(cmd, file, substitute(cmd.args, ids));
    const runId = printedRunId(proc.out);
    ids.push(runId ?? '');
    const run = runId ? maskRunIds(await extract(runId), ids) : null;
    results.push({ exit: proc.code, run, output: normaliseOutput(proc.out, ids, dir) });
  }
  return results;
}

/** Runs the case under Metaflow; `keep` leaves the folder for a look. */
export async function runMetaflow(c: ParityCase, mf: MetaflowInstall, keep = false): Promise<CaseResult> {
  const { dir, files } = prepareFolder(c, 'python', mf);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(mf.source ? { PYTHONPATH: mf.source } : {}),
    METAFLOW_DEFAULT_DATASTORE: 'local',
    METAFLOW_DEFAULT_METADATA: 'local',
    METAFLOW_HOME: join(dir, '.metaflowconfig'),
    USERNAME: 'parity',
  };
  try {
    const commands = await runCommands(c, 'python', dir, files, async (cmd, file, args) => {
      const e = { ...env, ...cmd.env };
      const proc = await exec(mf.python, [file, ...args], dir, e);
      const extract = async (runId: string): Promise<RunExtract | null> => {
        const flow = readdirSync(join(dir, '.metaflow')).find((f) => existsSync(join(dir, '.metaflow', f, runId)));
        if (!flow) return null;
        const r = await exec(mf.python, [extractor, flow, runId], dir, e);
        if (r.code !== 0) throw new Error(`extracting ${flow}/${runId} from Metaflow failed:\n${r.out}`);
        return JSON.parse(r.out.slice(r.out.indexOf('{'))) as RunExtract;
      };
      return { proc, extract };
    });
    return { case: c.name, system: 'metaflow', version: mf.version, commands };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the case under Stepwise through the built CLI bundle. `override` replaces flow files by
 * index (the harness's own test runs a deliberately changed translation this way).
 */
export async function runStepwise(c: ParityCase, o: { override?: Map<number, string>; keep?: boolean } = {}): Promise<CaseResult> {
  const { dir, files } = prepareFolder(c, 'typescript', undefined, o.override);
  const root = join(dir, '.stepwise');
  const env: NodeJS.ProcessEnv = { ...process.env, STEPWISE_DATASTORE_ROOT: root, FORCE_COLOR: '0', USERNAME: 'parity' };
  try {
    const commands = await runCommands(c, 'typescript', dir, files, async (cmd, file, args) => {
      const [command, ...rest] = args;
      const proc = await exec(process.execPath, [join(repoRoot, 'dist', 'cli.js'), command, file, ...rest], dir, { ...env, ...cmd.env });
      return { proc, extract: (runId) => extractStepwise(root, runId) };
    });
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    return { case: c.name, system: 'stepwise', version, commands };
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}
