/** Every CLI command, in the order `stepwise --help` lists them. Add a command here. */
import type { Command } from './command';
import { runCommand } from './commands/run';
import { resumeCommand } from './commands/resume';
import { check } from './commands/check';
import { show } from './commands/show';
import { logsCommand } from './commands/logs';
import { dumpCommand } from './commands/dump';
import { runsCommand } from './commands/runs';
import { spinCommand } from './commands/spin';
import { dapCommand } from './commands/dap';
import { tagCommand } from './commands/tag';
import { notebookCommand } from './commands/notebook';

export const commands: Command[] = [
  runCommand,
  resumeCommand,
  check,
  show,
  runsCommand,
  logsCommand,
  dumpCommand,
  tagCommand,
  spinCommand,
  notebookCommand,
  dapCommand,
];
