/**
 * The main session's entry inside the extension host (the fixture workspace, trusted): the
 * suites in this folder. Either launcher runs it unchanged.
 */
import { runSuitesIn } from './mochaRunner';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'vscode');
}
