/**
 * Runs the mocha suites of one folder inside the extension host, in the `@vscode/test-electron`
 * shape: each session's index.ts (this folder's, project/, untrusted/) exports `run()` built
 * on it, VS Code loads that file (extensionTestsPath) and awaits `run()`.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export function runSuitesIn(dir: string, label: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const grep = process.env.STEPWISE_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.test.js'))
    .sort())
    mocha.addFile(join(dir, f));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      // A plain closing line that CI can read whatever the reporter printed.
      console.log(`${label}: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else if (passes === 0 && !grep) reject(new Error('no test ran'));
      else resolve();
    });
  });
}
