/**
 * What the Stepwise session declares about breakpoints. Its exception filters carry the same ids
 * and texts as js-debug's (the task sessions'): VS Code merges filters that match exactly into
 * one checkbox in the Breakpoints view and sends its state to both kinds of session, so the
 * adapter knows when any task can stop on an exception (the VS Code API does not expose
 * exception breakpoints to extensions).
 */
import type { DebugProtocol } from '@vscode/debugprotocol';

const CONDITION_EXAMPLE = 'error.name == "MyError"';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'all',
    label: 'Caught Exceptions',
    default: false,
    supportsCondition: true,
    description: "Breaks on all throw errors, even if they're caught later.",
    conditionDescription: CONDITION_EXAMPLE,
  },
  {
    filter: 'uncaught',
    label: 'Uncaught Exceptions',
    default: false,
    supportsCondition: true,
    description: 'Breaks only on errors or promise rejections that are not handled.',
    conditionDescription: CONDITION_EXAMPLE,
  },
];

/** The one thread of a Stepwise session: the run (Pause on it reaches the adapter). */
export const RUN_THREAD = 1;
