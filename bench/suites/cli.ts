import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { median, round, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');

/** Whole-process start-up of the CLI: what a user waits for on every command. */
export const suite: BenchSuite = {
  group: 'cli',
  async run() {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t = Date.now();
      spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), '--help']);
      times.push(Date.now() - t);
    }
    return [{ group: 'cli', name: 'stepwise --help, whole process (median of 7)', value: round(median(times)), unit: 'ms' }];
  },
};
