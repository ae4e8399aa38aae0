/**
 * Package names and where they are installed (plain Node, no TypeScript: the task process uses
 * these too, to name a package a flow requires that is not there).
 */
import { existsSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** The package a module specifier names; undefined for relative, absolute, built-in and stepwise imports. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier) || isBuiltin(specifier) || /^[a-z]+:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return name === 'stepwise' ? undefined : name;
}

/** Whether Node, resolving from `fromFile`, finds the package (a node_modules folder up the tree, or NODE_PATH…). */
export function isInstalled(name: string, fromFile: string): boolean {
  for (let dir = dirname(resolve(fromFile)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true;
    if (dirname(dir) === dir) break;
  }
  try {
    createRequire(fromFile).resolve(name);
    return true;
  } catch (e) {
    // Present but not loadable as asked (exports without this path, ESM only): installed all the same.
    return (e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND';
  }
}

/** The importing file's project: the folder of the nearest package.json, else the file's own folder. */
export function projectDir(file: string): string {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(resolve(file));
  }
}

/**
 * The command that installs `names` in `dir`, in the package manager the folder uses (by its
 * lockfile; npm otherwise): `npm install lodash`, or `npm i -D stepwise` for a dev dependency.
 */
export function installCommand(dir: string, names: string[], o: { dev?: boolean } = {}): string {
  const list = names.join(' ');
  if (existsSync(join(dir, 'pnpm-lock.yaml'))) return `pnpm add ${o.dev ? '-D ' : ''}${list}`;
  if (existsSync(join(dir, 'yarn.lock'))) return `yarn add ${o.dev ? '-D ' : ''}${list}`;
  if (existsSync(join(dir, 'bun.lockb')) || existsSync(join(dir, 'bun.lock'))) return `bun add ${o.dev ? '-d ' : ''}${list}`;
  return o.dev ? `npm i -D ${list}` : `npm install ${list}`;
}
