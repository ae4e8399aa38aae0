/**
 * The early task process (boot/earlyTask.ts): the CLI's boot starts the first task's Node before
 * the CLI bundle loads. Whatever becomes of the command, none outlives it: a usage error before
 * the run takes it (a lint error), a usage error after the run took it (a bad parameter), and a
 * SIGKILL of the CLI either before or after. The CLI is held at the exact point with a FIFO: it
 * blocks reading the flow file (before the run takes the early process) or an IncludeFile
 * parameter (after: parameters are read once the first task's process is warm).
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promises as fs, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allGone, exited } from '../support/background';
import { cliPath } from '../support/cli';
import { earlyProcesses } from '../support/early';
import { describeIsolations } from '../support/isolation';
import { Workspace } from '../support/workspace';

const FLOW = `import { FlowSpec, IncludeFile, Parameter, step } from 'stepwise';

export default class EarlyFlow extends FlowSpec {
  data = IncludeFile('data', { isText: true });
  count = Parameter('count', { default: 1 });

  @step start() {
    console.log('data', this.data, 'count', this.count);
    this.next(this.end);
  }

  @step end() {}
}
`;

/** The same flow with a lint error (a step that never reaches end). */
const LINT_ERROR = FLOW.replace('this.next(this.end);', '');

describeIsolations('the early task process never outlives its CLI', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let fifo: string;
  beforeEach(() => {
    ws = new Workspace();
    fifo = join(ws.dir, 'held');
    const r = spawnSync('mkfifo', [fifo]);
    assert.equal(r.status, 0, String(r.stderr));
  });
  afterEach(() => ws.dispose());

  function start(args: string[]): { child: ChildProcess; output: () => string } {
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: ws.dir,
      env: { ...process.env, STEPWISE_DATASTORE_ROOT: ws.root },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    return { child, output: () => out };
  }

  /** Resolves once the CLI has opened the FIFO to read it (it then blocks until it is written and closed). */
  async function held(): Promise<fs.FileHandle> {
    const fh = await fs.open(fifo, 'w');
    const early = earlyProcesses(ws.root);
    assert.equal(early.length, 1, `one early task process while the CLI is held, found ${early.join(', ') || 'none'}`);
    return fh;
  }

  it('a lint error (exit 2) before the run takes it: the early process is killed', async () => {
    const { child, output } = start(['run', 'held']);
    const fh = await held();
    const early = earlyProcesses(ws.root);
    await fh.writeFile(LINT_ERROR);
    await fh.close();
    assert.equal(await exited(child), 2, output());
    assert.match(output(), /error/);
    await allGone(early, 3000);
  });

  it('a bad parameter (exit 2) after the run took it as its first task process: it is killed', async () => {
    writeFileSync(join(ws.dir, 'early.ts'), FLOW);
    const { child, output } = start(['run', 'early.ts', '--data', 'held', '--count', 'many']);
    const fh = await held();
    const early = earlyProcesses(ws.root);
    await fh.writeFile('some data');
    await fh.close();
    assert.equal(await exited(child), 2, output());
    assert.match(output(), /--count/);
    await allGone(early, 3000);
  });

  for (const when of ['before', 'after'] as const) {
    it(`SIGKILL of the CLI ${when} the run takes it: the early process exits too`, async () => {
      if (when === 'after') writeFileSync(join(ws.dir, 'early.ts'), FLOW);
      const { child } = start(when === 'before' ? ['run', 'held'] : ['run', 'early.ts', '--data', 'held']);
      const fh = await held();
      const early = earlyProcesses(ws.root);
      child.kill('SIGKILL');
      await exited(child);
      await fh.close();
      await allGone(early, 3000);
    });
  }

  it('the run itself, once the FIFO is written: the first task ran in the early process', async () => {
    writeFileSync(
      join(ws.dir, 'early.ts'),
      FLOW.replace(
        "console.log('data'",
        "console.log('early', require('node:fs').readFileSync('/proc/self/cmdline', 'utf8').includes('--stepwise-early'), 'data'",
      ),
    );
    const { child, output } = start(['run', 'early.ts', '--data', 'held', '--count', '3']);
    const fh = await held();
    await fh.writeFile('some data');
    await fh.close();
    assert.equal(await exited(child), 0, output());
    assert.match(output(), /early true data some data count 3/);
    await allGone(earlyProcesses(ws.root), 3000);
  });
});
