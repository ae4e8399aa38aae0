/**
 * dist/cli.js: the `stepwise` command and the debug adapter's entry (`node dist/cli.js dap`).
 * It loads the CLI bundle (dist/cli.bundle.js) through V8's code cache (./codeCache).
 */
import { join } from 'node:path';
import { loadBundle } from './codeCache';

interface CliBundle {
  runFromProcess(): void;
}

const cli = loadBundle(join(__dirname, 'cli.bundle.js'), module) as CliBundle;

/** Runs the CLI for this process (called by bin/stepwise.js) and sets the exit code. */
export function runFromProcess(): void {
  cli.runFromProcess();
}

if (require.main === module) runFromProcess();
