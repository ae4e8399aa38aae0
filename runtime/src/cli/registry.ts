/** Every CLI command, in the order `stepwise --help` lists them. Add a command here. */
import type { Command } from './command';
import { runCommand } from './commands/run';
import { resumeCommand } from './commands/resume';
import { check } from './commands/check';
import { show } from './commands/show';

export const commands: Command[] = [runCommand, resumeCommand, check, show];
