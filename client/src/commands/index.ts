/** The commands that need the language client: registered through Ctx, which starts it first. */
import { Commands } from '../contributions';
import type { Ctx } from '../ctx';
import { debugFlowCommand, debugTaskCommand, resumeDebugCommand } from '../debug/commands';
import { runFlow } from './run';
import { restartServer } from './server';

export function registerClientCommands(c: Ctx): void {
  c.registerCommand(Commands.runFlow, runFlow);
  c.registerCommand(Commands.debugFlow, debugFlowCommand);
  c.registerCommand(Commands.resumeDebug, resumeDebugCommand);
  c.registerCommand(Commands.debugTask, debugTaskCommand);
  c.registerCommand(Commands.restartServer, restartServer);
}
