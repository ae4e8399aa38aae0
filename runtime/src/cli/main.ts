#!/usr/bin/env node
/** `stepwise` — the command-line entry. Each command lives in its own module. */
import { EXIT_USAGE, UsageError, type Command, type CommandIO } from './command';
import { commands } from './registry';
import { DatastoreError } from '../datastore/files';
import { CorruptBlobError } from '../serialize/codec';
import { CompileError } from '../compile/bundle';
import { packageVersion } from '../paths';
import { asStorageError } from '../datastore/storageError';
import { escapeControls, escapingStream } from '../terminalText';

/** The notebook kernel shares this bundle (and its TypeScript parser); dist/kernel.js starts it. */
export { runKernel } from '../notebook/kernel/main';

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: stepwise <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `stepwise <command> --help` for the options of a command.',
    'Exit codes: 0 success, 1 flow failed, 2 usage or lint error.',
    '',
  ].join('\n');
}

export async function main(argv: string[], rawIo: CommandIO): Promise<number> {
  // Flow output, exception messages, tags and names all reach the terminal through these: no
  // control sequence from a flow or a datastore file acts on the terminal (terminalText.ts).
  const io: CommandIO = { ...rawIo, stdout: escapingStream(rawIo.stdout), stderr: escapingStream(rawIo.stderr) };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`stepwise: unknown command '${name}'. Commands: ${commands.map((c) => c.name).join(', ')}.\n`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.help.endsWith('\n') ? command.help : command.help + '\n');
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    // Damaged datastore files are bad input too: one line naming the file, never a stack.
    if (err instanceof UsageError || err instanceof DatastoreError || err instanceof CorruptBlobError || err instanceof CompileError) {
      io.stderr.write(`stepwise ${command.name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // A read-only, full or forbidden datastore is the environment's doing, not a bug: one line.
    const storage = asStorageError(err);
    if (storage) {
      io.stderr.write(`stepwise ${command.name}: ${storage.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

/** Runs the CLI for this process (called by bin/stepwise.js) and sets the exit code. */
export function runFromProcess(): void {
  // `stepwise runs X | head` closes the pipe early, a closed terminal fails writes with EIO:
  // neither is an error of the command's (a run's tasks die with it: scheduler/watchdog.ts).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'EIO') process.exit(process.exitCode ?? 0);
    throw err;
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        escapeControls(`stepwise: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`),
      );
      process.exitCode = 70;
    },
  );
}

if (require.main === module) runFromProcess();
