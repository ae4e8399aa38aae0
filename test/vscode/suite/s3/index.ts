/** The s3 session's entry: the fixture workspace with an S3 store beside it (test/vscode/sessions.ts). */
import { runSuitesIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runSuitesIn(__dirname, 'vscode s3');
}
