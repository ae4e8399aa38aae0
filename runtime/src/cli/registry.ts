/** Every CLI command, in the order `stepwise --help` lists them. Add a command here. */
import type { Command } from './command';

export const commands: Command[] = [];
