/** Every command the extension registers, by id. */
import { CommandIds } from '../commandIds';
import type { CommandFactory } from '../ctx';
import { debugFlow } from './debug';
import { resumeDebugCommand } from '../debug/commands';
import { runFlow } from './run';
import { restartServer } from './server';
import { showDagUnavailable } from './showDag';

export const commandFactories: Record<string, CommandFactory> = {
  [CommandIds.run]: runFlow,
  [CommandIds.debug]: debugFlow,
  [CommandIds.resumeDebug]: resumeDebugCommand,
  [CommandIds.showDag]: showDagUnavailable,
  [CommandIds.restartServer]: restartServer,
};
