/** Every command the extension registers, by id (Show DAG is registered by client/src/preview). */
import { CommandIds } from '../commandIds';
import type { CommandFactory } from '../ctx';
import { debugFlow } from './debug';
import { resumeDebugCommand } from '../debug/commands';
import { runFlow } from './run';
import { restartServer } from './server';

export const commandFactories: Record<string, CommandFactory> = {
  [CommandIds.run]: runFlow,
  [CommandIds.debug]: debugFlow,
  [CommandIds.resumeDebug]: resumeDebugCommand,
  [CommandIds.restartServer]: restartServer,
};
