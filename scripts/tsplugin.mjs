// The TypeScript server plugin's package. TypeScript loads a plugin by package name from the
// extension folder's node_modules/ (VS Code passes the folder as a probe location), so the
// plugin is a two-file package there whose main loads the bundle dist/tsplugin.js: written into
// the repository's node_modules/ by the build (for the extension under development) and into
// the .vsix's by scripts/package.mjs.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The name in package.json `contributes.typescriptServerPlugins`. */
export const TS_PLUGIN_NAME = 'stepwise-ts-plugin';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes the package into `dir`; `bundle` is dist/tsplugin.js relative to `dir`. */
export function writeTsPlugin(dir, bundle) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: TS_PLUGIN_NAME, version, private: true, main: 'index.js', license: 'MIT' }, null, 2) + '\n',
  );
  writeFileSync(
    join(dir, 'index.js'),
    `'use strict';\n// Stepwise's TypeScript server plugin (scripts/tsplugin.mjs).\nmodule.exports = require(${JSON.stringify(bundle)});\n`,
  );
}
