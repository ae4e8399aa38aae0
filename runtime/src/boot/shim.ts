/**
 * dist/shim.js: the `stepwise` that VS Code's integrated terminals find first on their PATH
 * (client/src/terminal/). It decides per command line, as the editor decides per flow
 * (runtime/src/installation.ts): the project's `node_modules/stepwise` serving the flow file
 * named, else the current folder — when it speaks this extension's editor protocol — or else
 * the Stepwise this file ships with. Deciding per command (not per terminal) keeps a terminal
 * right after `cd`, in every folder of a multi-root workspace, and after `npm i -D stepwise`.
 */
import { dirname } from 'node:path';
import { rejectionMessage, selectForCommandLine } from '../installation';

interface Cli {
  runFromProcess?(): void;
}

const args = process.argv.slice(2);
const { use, rejected } = selectForCommandLine(args, process.cwd(), dirname(__dirname));
// A project installation that cannot be used: one line naming it and the fix, on stderr (not
// in the output a script reads); an untrusted one never reaches here (no shim on PATH).
const warning = rejected && rejectionMessage(rejected, use);
if (warning) process.stderr.write(`${warning}\n`);
// The chosen CLI runs in this process, as if started directly (`node <cli> …`).
process.argv[1] = use.cli;
const cli = require(use.cli) as Cli;
if (typeof cli.runFromProcess !== 'function') {
  process.stderr.write(`stepwise: ${use.cli} is not a Stepwise CLI entry (no runFromProcess). Reinstall it: npm i -D stepwise\n`);
  process.exitCode = 2;
} else cli.runFromProcess();
