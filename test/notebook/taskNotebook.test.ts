/**
 * Debugging a task in a notebook, without VS Code: real runs through the CLI bundle, the
 * notebook written by `stepwise notebook`, and its cells run in the shipped kernel.
 */
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Workspace, runIdOf } from '../support/workspace';
import { KernelSession } from './kernelSession';

interface Ipynb {
  cells: Array<{ cell_type: string; source: string[] }>;
  metadata: { kernelspec: { name: string }; language_info: { name: string }; stepwise: { pathspec: string; status: string } };
}

const cellsOf = (nb: Ipynb) => nb.cells.map((c) => c.source.join(''));

describe('task notebooks', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let kernel: KernelSession | undefined;

  beforeEach(() => {
    ws = new Workspace();
    ws.copy('notebook/orders.ts');
    ws.copy('notebook/lib');
  });
  afterEach(async () => {
    await kernel?.kernel.dispose();
    kernel = undefined;
    ws.dispose();
  });

  async function failedRun(): Promise<string> {
    const r = await ws.cli(['run', 'orders.ts', '--max-workers', '2']);
    assert.equal(r.code, 1, r.stderr);
    return runIdOf(r.stdout);
  }

  async function notebook(pathspec: string, ...args: string[]): Promise<{ path: string; nb: Ipynb; cells: string[] }> {
    const r = await ws.cli(['notebook', pathspec, '--json', ...args]);
    assert.equal(r.code, 0, r.stderr);
    const path = (JSON.parse(r.stdout) as { path: string }).path;
    const nb = JSON.parse(readFileSync(path, 'utf8')) as Ipynb;
    return { path, nb, cells: cellsOf(nb) };
  }

  /** A kernel as VS Code starts it for this notebook: in the project folder, with the run's store. */
  function kernelFor(path: string): KernelSession {
    kernel = new KernelSession({ dir: dirname(path), cwd: ws.dir, env: { ...process.env, STEPWISE_DATASTORE_ROOT: ws.root } });
    return kernel;
  }

  async function failedTask(runId: string): Promise<string> {
    const tasks = await (await ws.flow('OrdersFlow').run(runId)).step('priceLine').tasks();
    const failed = tasks.filter((t) => t.status === 'failed');
    assert.equal(failed.length, 1);
    return failed[0].pathspec;
  }

  it('writes the four parts for a failed foreach task, in .stepwise/notebooks', async () => {
    const runId = await failedRun();
    const pathspec = await failedTask(runId);
    const { path, nb, cells } = await notebook(pathspec);
    assert.equal(path, join(ws.root, 'notebooks', `${pathspec.split('/').join('-')}.ipynb`));
    assert.equal(nb.metadata.kernelspec.name, 'stepwise-typescript');
    assert.equal(nb.metadata.language_info.name, 'typescript');
    assert.deepEqual([nb.metadata.stepwise.pathspec, nb.metadata.stepwise.status], [pathspec, 'failed']);
    assert.deepEqual(
      nb.cells.map((c) => c.cell_type),
      ['markdown', 'code', 'code'],
      'no comparison cell for a failed task',
    );
    const [md, bind, body] = cells;
    assert.match(md, new RegExp(`## \`${pathspec}\` — failed`));
    assert.match(md, /a foreach task: the item at index 2 of 3/);
    assert.match(md, /\*\*Error: not a price: 'n\/a'\*\* at \[lib\/prices\.ts:4\]\(\.\.\/\.\.\/lib\/prices\.ts#L4\)/);
    assert.match(md, /The step: \[orders\.ts:26\]\(\.\.\/\.\.\/orders\.ts#L26\)/);
    assert.match(bind, /^import \{ current \} from 'stepwise';$/m);
    assert.match(bind, /^import \{ parsePrice \} from '\.\.\/\.\.\/lib\/prices';$/m);
    assert.match(bind, new RegExp(`^const \\{ self, scope \\} = await taskContext\\("${pathspec}"\\);$`, 'm'));
    assert.match(bind, /^const \{ withTax \} = scope;/m);
    assert.equal(
      body,
      [
        '// Step `priceLine` (orders.ts:26) with `this` as `self`.',
        'self.line = self.input as string;',
        "const [quantity, , unit] = self.line.split(' ');",
        'console.log(`pricing ${self.line} as task ${current.taskId}`);',
        'self.price = withTax(Number(quantity) * parsePrice(unit));',
        '// this.next(this.sum);  (not taken in a notebook)',
      ].join('\n'),
    );
  });

  it('binds what the step saw, reproduces the failure, and runs the fixed cell', async () => {
    const runId = await failedRun();
    const pathspec = await failedTask(runId);
    const stored = (
      await ws
        .flow('OrdersFlow')
        .run(runId)
        .then((r) => r.step('priceLine').task(pathspec.split('/')[3]))
    ).exception!;
    const { path, cells } = await notebook(pathspec);
    const k = kernelFor(path);
    const bound = await k.run(cells[1], 'Cell 2');
    assert.equal(bound.status, 'ok', JSON.stringify(bound.errors));
    assert.equal((await k.run('self.input')).text, '"2 x n/a"');
    assert.equal((await k.run('self.index')).text, '2');
    assert.equal((await k.run('self.currency')).text, '"EUR"', 'parameters are there');
    assert.match((await k.run('self.lines')).text!, /"3 x 2\.50",\s+"1 x 10",\s+"2 x n\/a",/);
    assert.equal((await k.run('current.pathspec')).text, JSON.stringify(pathspec));

    const failed = await k.run(cells[2], 'Cell 3');
    assert.equal(failed.status, 'error');
    assert.equal(failed.errors.length, 1);
    assert.equal(`${failed.errors[0].name}: ${failed.errors[0].message}`, `${stored.name}: ${stored.message}`);
    assert.match(failed.errors[0].stack, /at parsePrice \(.*lib\/prices\.ts:4:\d+\)\n\s+at Cell 3:5:\d+/);
    assert.equal(failed.stdout, `pricing 2 x n/a as task ${pathspec.split('/')[3]}\n`);

    const fixed = await k.run(cells[2].replace('parsePrice(unit)', "parsePrice(unit === 'n/a' ? '0' : unit)"), 'Cell 3');
    assert.equal(fixed.status, 'ok', JSON.stringify(fixed.errors));
    assert.equal((await k.run('self.price')).text, '0');
  });

  it('picks up an edit to a local module the binding cell imported, without a restart', async () => {
    const pathspec = await failedTask(await failedRun());
    const { path, cells } = await notebook(pathspec);
    const k = kernelFor(path);
    await k.run(cells[1]);
    assert.equal((await k.run(cells[2])).status, 'error');
    const prices = join(ws.dir, 'lib', 'prices.ts');
    writeFileSync(
      prices,
      readFileSync(prices, 'utf8').replace('const value = Number(text);', "const value = text === 'n/a' ? 0 : Number(text);"),
    );
    const t = new Date(Date.now() + 5000);
    utimesSync(prices, t, t);
    const again = await k.run(cells[2]);
    assert.equal(again.status, 'ok', JSON.stringify(again.errors));
    assert.match(again.stdout, /autoreload: \.\.\/\.\.\/lib\/prices\.ts changed: reloaded/);
    assert.equal((await k.run('self.line')).text, '"2 x n/a"', 'the kernel kept its state');
  });

  it('a join of a static split: inputs by index and by branch name; the comparison cell agrees with the task', async () => {
    ws.copy('flows/counter_branch.ts');
    const r = await ws.cli(['run', 'counter_branch.ts']);
    assert.equal(r.code, 0, r.stderr);
    const runId = runIdOf(r.stdout);
    const join = (await (await ws.flow('CounterBranchFlow').run(runId)).step('join').tasks())[0];
    const { path, nb, cells } = await notebook(join.pathspec);
    assert.equal(nb.cells.length, 4, 'a succeeded task gets the comparison cell');
    assert.match(cells[1], /const \{ self, inputs \} = await taskContext/);
    const k = kernelFor(path);
    await k.run(cells[1]);
    assert.equal(
      (await k.run('[inputs.length, inputs.addOne.count, inputs.addTwo.count, inputs[1].count]')).text!.replace(/\s+/g, ''),
      '[2,1,2,2,]',
    );
    const readBefore = await k.run('self.count');
    assert.equal(readBefore.status, 'error', 'a join starts without upstream artifacts, as in the task');
    assert.match(readBefore.errors[0].message, /this\.count is not set in the join 'join'/);
    const body = await k.run(cells[2]);
    assert.equal(body.status, 'ok', JSON.stringify(body.errors));
    assert.equal(body.stdout, 'count from addOne 1\ncount from addTwo 2\n');
    const compared = await k.run(cells[3]);
    const table = compared.results[0].find((i) => i.mime === 'text/html')!.data;
    assert.match(table, /<td>count<\/td><td>yes<\/td>/);
    assert.match(table, /<td>creature<\/td><td>yes<\/td>/);
    assert.equal(
      (await k.run('self.count = 99;\nawait compareWithTask(self)')).results[0]
        .find((i) => i.mime === 'text/html')!
        .data.includes('<td>count</td><td>no</td>'),
      true,
    );
  });

  it('a foreach join after a resume: inputs indexable, mergeArtifacts as in the step', async () => {
    await failedRun();
    writeFileSync(
      join(ws.dir, 'orders.ts'),
      readFileSync(join(ws.dir, 'orders.ts'), 'utf8').replace('parsePrice(unit)', "parsePrice(unit === 'n/a' ? '0' : unit)"),
    );
    const resumed = await ws.cli(['resume', 'orders.ts']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const sum = (await (await ws.flow('OrdersFlow').run(runIdOf(resumed.stdout))).step('sum').tasks())[0];
    const { path, cells } = await notebook(sum.pathspec);
    const k = kernelFor(path);
    await k.run(cells[1]);
    assert.equal((await k.run('inputs.map((i) => i.price).join()')).text, '"9,12,0"');
    assert.equal((await k.run(cells[2])).status, 'ok');
    assert.equal((await k.run('self.total')).text, '21');
    const merged = await k.run('self.mergeArtifacts(inputs, { exclude: ["line", "price"] });\nself.lines.length');
    assert.equal(merged.text, '3', JSON.stringify(merged.errors));
  });

  it('the comparison: an inherited list the task re-stored (its foreach read it) is the same value, a changed one is not', async () => {
    // `middle` only reads `words` (its foreach), which makes the task store it again with other
    // bytes (V8 writes a read-back array differently): same value, different hash.
    writeFileSync(
      join(ws.dir, 'words.ts'),
      [
        "import { FlowSpec, step, type Inputs } from 'stepwise';",
        'export default class WordsFlow extends FlowSpec {',
        '  declare words: string[];',
        '  declare n: number;',
        "  @step start() { this.words = ['a', 'bb']; this.next(this.middle); }",
        '  @step middle() { this.n = this.words.length; this.next(this.each, { foreach: "words" }); }',
        '  @step each() { this.next(this.gather); }',
        '  @step gather(inputs: Inputs<WordsFlow>) { this.next(this.end); }',
        '  @step end() {}',
        '}',
        '',
      ].join('\n'),
    );
    const r = await ws.cli(['run', 'words.ts']);
    assert.equal(r.code, 0, r.stderr);
    const middle = (await (await ws.flow('WordsFlow').run(runIdOf(r.stdout))).step('middle').tasks())[0];
    const { path, cells } = await notebook(middle.pathspec);
    const k = kernelFor(path);
    await k.run(cells[1]);
    assert.equal((await k.run(cells[2])).status, 'ok');
    const row = async (name: string) => {
      const out = await k.run(`(await compareWithTask(self)).find((r) => r.artifact === '${name}').same`);
      assert.equal(out.errors.length, 0, JSON.stringify(out.errors));
      return out.text;
    };
    assert.equal(await row('words'), '"yes"');
    assert.equal(await row('n'), '"yes"');
    await k.run("self.words.push('ccc')");
    assert.equal(await row('words'), '"no"');
  });

  describe('bad input', () => {
    it('a step with several tasks, or a pathspec that does not exist: exit 2, one message', async () => {
      const runId = await failedRun();
      const many = await ws.cli(['notebook', `${runId}/priceLine`]);
      assert.equal(many.code, 2);
      assert.match(
        many.stderr,
        /^stepwise notebook: '\d+\/priceLine' is a step with 3 tasks: name one \(failed: 1\), e\.g\. OrdersFlow\/\d+\/priceLine\/\d+\.\n$/,
      );
      const none = await ws.cli(['notebook', `OrdersFlow/${runId}/priceLine/999`]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /task OrdersFlow\/\d+\/priceLine\/999 does not exist/);
    });

    it('keeps a notebook that exists (it holds the user’s edits) unless --force', async () => {
      const pathspec = await failedTask(await failedRun());
      const { path } = await notebook(pathspec);
      writeFileSync(path, readFileSync(path, 'utf8').replace('self.input as string', 'self.input as string /* mine */'));
      const again = await ws.cli(['notebook', pathspec, '--json']);
      assert.deepEqual(JSON.parse(again.stdout), { path, created: false, pathspec });
      assert.match(readFileSync(path, 'utf8'), /mine/);
      await notebook(pathspec, '--force');
      assert.doesNotMatch(readFileSync(path, 'utf8'), /mine/);
    });

    it('taskContext with a pathspec that does not exist is one clear error, and the kernel lives on', async () => {
      const pathspec = await failedTask(await failedRun());
      const { path } = await notebook(pathspec);
      const k = kernelFor(path);
      const r = await k.run("await taskContext('OrdersFlow/1/priceLine/1')");
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].name, 'NotFoundError');
      assert.match(r.errors[0].message, /run OrdersFlow\/1 does not exist/);
      const short = await k.run("await taskContext('priceLine/1')");
      assert.match(short.errors[0].message, /give a task pathspec, Flow\/run\/step\/task/);
      assert.equal((await k.run('1 + 1')).text, '2');
    });

    it('a flow file that is gone: the notebook says so, taskContext names the file', async () => {
      const pathspec = await failedTask(await failedRun());
      rmSync(join(ws.dir, 'orders.ts'));
      const { path, cells } = await notebook(pathspec);
      assert.match(cells[2], /^\/\/ The step's code is not available: the flow file of this run, .*orders\.ts, is not there any more\.$/);
      const k = kernelFor(path);
      const r = await k.run(cells[1]);
      assert.match(r.errors[0].message, /the flow file of run OrdersFlow\/\d+, .*orders\.ts, is not there any more/);
      assert.ok(existsSync(path));
    });
  });
});
