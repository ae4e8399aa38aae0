/** The untrusted session's entry: the fixture workspace in Restricted Mode (test/vscode/sessions.ts). */
import { runSuitesIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'vscode untrusted');
}
