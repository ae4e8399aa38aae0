/**
 * The notebook kernel's process protocol: JSON messages over Node's IPC channel between a
 * kernel process (dist/kernel.js) and its client (the VS Code controller, or a test). One
 * module for both sides, so they cannot drift.
 *
 * Besides these messages the client may send the kernel SIGINT: it is what stops a cell that
 * is busy in its synchronous part (the IPC channel is not read while JavaScript runs).
 */

/** One representation of an output; `data` is text unless `base64` is set (PNG and other bytes). */
export interface OutputItem {
  mime: string;
  data: string;
  base64?: boolean;
}

export interface CellError {
  name: string;
  message: string;
  /** The stack as the user should read it: cell frames as `Cell 3:5:7`, kernel frames dropped. */
  stack: string;
  /** Where in the cell it was thrown (1-based), when the error came from the cell's own code. */
  line?: number;
  column?: number;
}

/** How an execution ended. `interrupted` kept the kernel's state; see `restarted`. */
export type ExecuteStatus = 'ok' | 'error' | 'interrupted';

export type ClientMessage =
  | {
      type: 'execute';
      id: number;
      code: string;
      /** How stacks name this cell (`Cell 3`). */
      label: string;
      language?: 'typescript' | 'javascript';
    }
  /** Stop execution `id`: ignored when another (or no) execution is current. */
  | { type: 'interrupt'; id: number }
  | { type: 'shutdown' };

export type KernelMessage =
  | { type: 'ready'; pid: number; node: string; cwd: string }
  /** Console output; `id` is the execution it happened during (null: between executions). */
  | { type: 'stream'; id: number | null; name: 'stdout' | 'stderr'; text: string }
  /** A rich output: the cell's last value (`result`) or a `display(…)` call. */
  | { type: 'output'; id: number | null; kind: 'result' | 'display'; items: OutputItem[] }
  | { type: 'error'; id: number | null; error: CellError }
  | { type: 'done'; id: number; status: ExecuteStatus; ms: number };

/** Kernel start options, passed as one JSON argument after this flag. */
export const KERNEL_OPTIONS_ARG = '--stepwise-kernel';

export interface KernelOptions {
  /** Relative imports in cells resolve from here (the notebook's folder). */
  notebookDir: string;
}

/** The MIME types `display(value, mime)` knows by a short name. */
export const MIME_ALIASES: Record<string, string> = {
  html: 'text/html',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpeg: 'image/jpeg',
  json: 'application/json',
  markdown: 'text/markdown',
  text: 'text/plain',
  'vega-lite': 'application/vnd.vegalite.v5+json',
};
