/**
 * `stepwise.taskIsolation`: how the tasks of runs started from VS Code are isolated (a process
 * each, or a thread of a task host). Every process the extension starts that may run tasks (runs,
 * terminals, the debug adapter) gets it as STEPWISE_TASK_ISOLATION, the variable the CLI reads
 * when no --task-isolation is given; an installation too old to know it ignores it. Under the
 * debugger tasks are processes whatever it says (the inspector attaches to processes).
 */
import type * as vscode from 'vscode';
import { readSetting, Settings } from './contributions';

export function taskIsolationEnv(scope?: vscode.ConfigurationScope): Record<string, string> {
  const value = readSetting(Settings.taskIsolation, scope);
  return value === 'default' ? {} : { STEPWISE_TASK_ISOLATION: value };
}
