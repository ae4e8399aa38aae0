/** A fresh folder per test with its own datastore, and helpers to run the CLI in it. */
import { mkdirSync, mkdtempSync, cpSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, fixtures, type CliResult } from './cli';
import { Flow } from '../../runtime/src/client';
import type { RunEvent } from '../../runtime/src/scheduler/events';

export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'stepwise-test-'));
  readonly root = join(this.dir, '.stepwise');

  /** Copies a fixture (relative to test/fixtures) into the workspace; returns its new path. */
  copy(rel: string, as?: string): string {
    const dest = join(this.dir, as ?? rel.split('/').pop()!);
    cpSync(join(fixtures, rel), dest, { recursive: true });
    return dest;
  }

  /** Installs a one-file package (`index.js` holding `code`; CommonJS unless `manifest` says otherwise) in the workspace's node_modules. */
  addPackage(name: string, code: string, manifest: Record<string, unknown> = {}): void {
    const dir = join(this.dir, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', main: 'index.js', ...manifest }));
    writeFileSync(join(dir, 'index.js'), code);
  }

  cli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult> {
    return runCli(args, { cwd: this.dir, env: { STEPWISE_DATASTORE_ROOT: this.root, ...env }, timeoutMs });
  }

  /** Runs with --json-events and returns the parsed events too. */
  async events(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliResult & { events: RunEvent[] }> {
    const r = await this.cli([...args, '--json-events'], env, timeoutMs);
    const events = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as RunEvent);
    return { ...r, events };
  }

  /** The client on this workspace's datastore; every run by default (tests run flows as several users). */
  flow(name: string, namespace: string | null = null) {
    return Flow(name, { root: this.root, namespace });
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The run id printed in `Workflow starting (run-id N)`. */
export function runIdOf(stdout: string): string {
  const m = /run-id (\d+)/.exec(stdout);
  if (!m) throw new Error(`no run id in output:\n${stdout}`);
  return m[1];
}

const RUNNER_LINES =
  /^(Task is starting(?: \(retry \d+\))?\.|Task finished successfully\.|Task failed\.|Task was killed\.|Cloned from .* \(not executed\)\.|Attempt \d+ of \d+ failed: .*|Task failed and @catchFailure caught it .*|Recording the failure as caught \(@catchFailure\)\.)$/;

/** Lines a task printed, from the console view (`[run/step/task (pid N)] line`). */
export function taskLines(stdout: string, step: string): string[] {
  const re = new RegExp(`\\[\\d+/${step}/\\d+(?: \\(pid \\d+\\))?\\] (.*)$`);
  return stdout
    .split('\n')
    .map((l) => re.exec(l)?.[1])
    .filter((x): x is string => x !== undefined && !RUNNER_LINES.test(x));
}
