/**
 * dist/cli.js: the `stepwise` command and the debug adapter's entry (`node dist/cli.js dap`).
 * It loads the CLI bundle (dist/cli.bundle.js) through V8's code cache (./codeCache).
 */
import { join } from 'node:path';
import { loadBundle } from './codeCache';
import { startEarlyTask } from './earlyTask';

interface CliBundle {
  runFromProcess(): void;
}

// A command that runs tasks here starts its first task's Node now, so that its start overlaps
// loading the bundle, the lint, the compile and the run's record (./earlyTask.ts).
startEarlyTask(process.argv.slice(2), __dirname);

// The TypeScript compiler is a dependency, not inside the bundle: it goes through the cache too.
const cli = loadBundle(join(__dirname, 'cli.bundle.js'), module, ['typescript']) as CliBundle;

/** Runs the CLI for this process (called by bin/stepwise.js) and sets the exit code. */
export function runFromProcess(): void {
  cli.runFromProcess();
}

if (require.main === module) runFromProcess();
