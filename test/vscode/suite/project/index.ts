/**
 * The project session's entry: a multi-root workspace of a bare folder (no package.json,
 * tsconfig.json or node_modules) and a project that installed Stepwise from the packed tarball
 * (test/vscode/sessions.ts).
 */
import { runSuitesIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'vscode project');
}
