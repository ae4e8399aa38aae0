/** What a parity case is: a flow in Python and in TypeScript, the commands to run, and how to compare. */
import type { Looseness } from './compare';

export interface FlowPair {
  /**
   * The Python original: a file of ours (`fixtures/parity/x.py`, relative to test/), or one that
   * Metaflow ships (`metaflow:tutorials/00-helloworld/helloworld.py`, relative to the `metaflow`
   * package: read from the Metaflow source at run time, never copied into this repository).
   */
  python: string;
  /** The TypeScript translation, relative to test/. */
  typescript: string;
}

export type CaseFile = string | { from: string; only?: 'python' | 'typescript' };

export interface ParityCommand {
  /**
   * The command and its arguments, the flow file left out: `['run', '--count', '3']`.
   * `{run:N}` stands for the run id that command N of the case printed (each system its own).
   */
  args: string[];
  /** Which of the case's flows (default 0). */
  flow?: number;
  env?: Record<string, string>;
  /**
   * Edits to the flow files before this command (the fix before a `resume`), per language: each
   * `[from, to]` replaces the first `from` in the first flow file holding it (none is an error).
   */
  patch?: { python: Array<[string, string]>; typescript: Array<[string, string]> };
  /** Words the output must hold on both sides (or on neither): the essential words of an error. */
  errorWords?: string[];
}

/** A difference the harness finds that is deliberate: its id and the docs/PARITY.md section saying why. */
export interface KeptDifference {
  id: string;
  why: string;
  /**
   * Found or not depending on timing alone (e.g. whether a sibling task had started when the
   * first one failed): never reported stale when absent.
   */
  timing?: true;
}

export interface ParityCase {
  name: string;
  /** One line: what the case is about. */
  about: string;
  flows: FlowPair[];
  /** Files put into the case's folder before the first command: name → its text, or a file to copy (relative to test/). */
  files?: Record<string, CaseFile>;
  commands: ParityCommand[];
  compare?: {
    /** Artifact name → how to loosen its comparison (see compare.ts), for a stated reason. */
    loose?: Record<string, Looseness>;
    /** Step → the artifact that identifies its foreach tasks, where the list's order is not deterministic. */
    matchForeachBy?: Record<string, string>;
  };
  kept?: KeptDifference[];
}
