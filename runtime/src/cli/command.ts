/** The shape every `stepwise <command>` module exports. */

export interface CommandIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for `stepwise --help`. */
  summary: string;
  /** Full text for `stepwise <name> --help`. */
  help: string;
  /** Returns the exit code: 0 success, 1 flow failed, 2 usage or lint error. */
  run(args: string[], io: CommandIO): Promise<number>;
}

export { UsageError } from '../errors';

export const EXIT_OK = 0;
export const EXIT_FLOW_FAILED = 1;
export const EXIT_USAGE = 2;
