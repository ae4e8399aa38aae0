/**
 * The `stepwise` command VS Code's integrated terminals find on their PATH: a folder holding a
 * shim (a POSIX shell script, and a `.cmd` for Windows shells) that runs the chosen installation's
 * CLI with the Node Stepwise uses — the same installation and Node as runs started from the
 * editor. One folder per (Node, CLI) pair under the extension's storage, named by their hash and
 * written once. Plain Node (no vscode): tested by running the shim through a real shell.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShimTarget {
  /** The Node executable. */
  node: string;
  /** Environment the Node needs (ELECTRON_RUN_AS_NODE for the editor's own runtime). */
  env: Record<string, string>;
  /** The installation's CLI entry (`<root>/dist/cli.js`). */
  cli: string;
  /** One line for the shim's header: which Stepwise this is. */
  label: string;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function posixShim(t: ShimTarget): string {
  const env = Object.entries(t.env).map(([k, v]) => `${k}=${shQuote(v)} `);
  return `#!/bin/sh\n# ${t.label}: written by the Stepwise extension for VS Code's integrated terminals.\n${env.join('')}exec ${shQuote(t.node)} ${shQuote(t.cli)} "$@"\n`;
}

export function cmdShim(t: ShimTarget): string {
  const env = Object.entries(t.env).map(([k, v]) => `set "${k}=${v}"\r\n`);
  return `@echo off\r\nrem ${t.label}: written by the Stepwise extension for VS Code's integrated terminals.\r\nsetlocal\r\n${env.join('')}"${t.node}" "${t.cli}" %*\r\n`;
}

function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

/** The folder holding the `stepwise` shim for `t` under `storage`, written if it is not there yet. */
export function ensureShimDir(storage: string, t: ShimTarget): string {
  const key = createHash('sha256')
    .update(JSON.stringify([t.node, t.env, t.cli]))
    .digest('hex')
    .slice(0, 16);
  const dir = join(storage, 'bin', key);
  if (!existsSync(join(dir, 'stepwise')) || !existsSync(join(dir, 'stepwise.cmd'))) {
    mkdirSync(dir, { recursive: true });
    writeAtomically(join(dir, 'stepwise'), posixShim(t), 0o755);
    writeAtomically(join(dir, 'stepwise.cmd'), cmdShim(t), 0o644);
  }
  return dir;
}
