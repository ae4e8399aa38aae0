/**
 * The notebook kernel alone, without VS Code: the shipped dist/kernel.js as a real process,
 * driven over its IPC protocol by the same client the VS Code controller uses.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KernelSession } from './kernelSession';

describe('notebook kernel', function () {
  this.timeout(60_000);
  let s: KernelSession;

  beforeEach(() => {
    s = new KernelSession({ interruptGraceMs: 3000 });
  });
  afterEach(async () => {
    await s.dispose();
  });

  describe('state across cells', () => {
    it('keeps variables, functions, classes, enums and destructured names, and a cell can run again', async () => {
      assert.equal((await s.run('const n: number = 20;\nlet { a, b: [c] } = { a: 1, b: [2] };\nn')).text, '20');
      await s.run(
        'function twice(x: number) { return 2 * x + a + c; }\nclass Box { constructor(readonly v: number) {} }\nenum Color { Red, Green }',
      );
      assert.equal((await s.run('twice(n) + new Box(3).v + Color.Green')).text, '47');
      // Running a cell with `const` again must not fail with "already declared".
      const again = await s.run('const n: number = 21;\nn');
      assert.equal(again.status, 'ok', JSON.stringify(again.errors));
      assert.equal(again.text, '21');
      assert.equal((await s.run('twice(n)')).text, '45', 'functions see the global as it is now');
    });

    it('keeps imports, and a relative import resolves from the notebook folder', async () => {
      mkdirSync(join(s.dir, 'lib'));
      writeFileSync(join(s.dir, 'lib', 'math.ts'), 'export const add = (a: number, b: number): number => a + b;\nexport default 10;\n');
      await s.run("import ten, { add } from './lib/math';\nimport * as path from 'node:path';");
      assert.equal((await s.run("add(ten, 5) + path.basename('/x/y.ts').length")).text, '19');
    });

    it('has the client API and display() preloaded, and `stepwise/client` is importable', async () => {
      const r = await s.run(
        "import { Flow as F } from 'stepwise/client';\n[typeof Flow, typeof Task, typeof Run, F === Flow, typeof display]",
      );
      assert.equal(r.status, 'ok', JSON.stringify(r.errors));
      assert.match(r.text!, /"function",\s+"function",\s+"function",\s+true,\s+"function"/);
    });

    it('runs JavaScript cells too', async () => {
      const r = await s.run('const xs = [1, 2, 3];\nxs.map((x) => x * x)', 'Cell 1', 'javascript');
      assert.equal(r.status, 'ok', JSON.stringify(r.errors));
      assert.match(r.text!, /\[\s+1,\s+4,\s+9,\s+\]/);
    });
  });

  describe('await', () => {
    it('awaits at the top level, and a cell ending in a promise shows its value', async () => {
      await s.run('const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));');
      const r = await s.run("await sleep(20);\nconst got = await Promise.resolve('later');\ngot");
      assert.equal(r.text, '"later"');
      assert.equal((await s.run('Promise.resolve(5)')).text, '5');
    });

    it('streams console output as it happens, in order with the value', async () => {
      const r = await s.run("console.log('one');\nawait new Promise((r) => setTimeout(r, 30));\nconsole.error('two');\n3");
      assert.deepEqual(r.order, ['stdout:one\n', 'stderr:two\n', 'result:text/plain']);
    });
  });

  describe('outputs', () => {
    it('renders values with the explorer renderer: Map, typed arrays, Date, cycles', async () => {
      const r = await s.run(
        "const o: any = { m: new Map([['k', 1]]), t: new Float64Array([1.5]), d: new Date(0), big: 12n };\no.self = o;\no",
      );
      assert.match(r.text!, /m: Map\(1\) \{\s+"k" => 1,/);
      assert.match(r.text!, /t: Float64Array\(1\) \[1\.5\]/);
      assert.match(r.text!, /d: Date\(1970-01-01T00:00:00\.000Z\)/);
      assert.match(r.text!, /big: 12n/);
      assert.match(r.text!, /self: \[Circular \*1\]/);
    });

    it('shows an array of plain objects as a table, with the text form beside it', async () => {
      const r = await s.run("[{ name: 'a', score: 1 }, { name: '<b>', extra: true }]");
      const html = r.results[0].find((i) => i.mime === 'text/html')!.data;
      assert.match(html, /<th>name<\/th><th>score<\/th><th>extra<\/th>/);
      assert.match(html, /<td>&lt;b&gt;<\/td><td><\/td><td>true<\/td>/);
      assert.ok(r.results[0].some((i) => i.mime === 'text/plain'));
    });

    it('display() sends HTML, SVG, PNG, JSON and Vega-Lite as their MIME types', async () => {
      const r = await s.run(
        [
          "display('<b>bold</b>', 'html');",
          "display('<svg xmlns=\"http://www.w3.org/2000/svg\"/>', 'image/svg+xml');",
          "display(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'png');",
          "display({ a: 1 }, 'json');",
          "display({ mark: 'bar', data: { values: [] } }, 'vega-lite');",
        ].join('\n'),
      );
      assert.equal(r.status, 'ok', JSON.stringify(r.errors));
      const mimes = r.displays.map((items) => items.map((i) => i.mime));
      assert.deepEqual(mimes, [
        ['text/html'],
        ['image/svg+xml'],
        ['image/png'],
        ['application/json'],
        ['application/vnd.vegalite.v5+json', 'application/json'],
      ]);
      const png = r.displays[2][0];
      assert.equal(png.base64, true);
      assert.equal(png.data, Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'));
    });

    it('a display() it cannot do is one clear error', async () => {
      const r = await s.run("display(42, 'html')");
      assert.equal(r.status, 'error');
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0].message, /display\(value, 'html'\): a text\/html output needs its text as a string; got a number/);
    });
  });

  describe('errors', () => {
    it('maps the stack to the cell lines, for a function defined in another cell too', async () => {
      await s.run("const o = { a: 1 };\n\nfunction explode(why: string): never {\n  throw new RangeError('boom: ' + why);\n}");
      const r = await s.run('// a comment first\nconst before = 1;\nexplode(`x${before}`);', 'Cell 9');
      assert.equal(r.status, 'error');
      assert.equal(r.errors.length, 1);
      const e = r.errors[0];
      assert.equal(e.name, 'RangeError');
      assert.equal(e.message, 'boom: x1');
      assert.deepEqual([e.line, e.column], [4, 9]);
      const frames = e.stack.split('\n').filter((l) => l.trim().startsWith('at '));
      assert.deepEqual(
        frames.map((f) => f.trim()),
        ['at explode (Cell 1:4:9)', 'at Cell 9:3:1'],
      );
    });

    it('maps frames in the user’s own TypeScript modules to their lines', async () => {
      writeFileSync(
        join(s.dir, 'bad.ts'),
        'interface T { a: number }\n\nexport function fail(t: T): number {\n  throw new Error(`bad ${t.a}`);\n}\n',
      );
      const r = await s.run("import { fail } from './bad';\nfail({ a: 3 });");
      assert.equal(r.errors[0].message, 'bad 3');
      assert.match(r.errors[0].stack, /at fail \(.*bad\.ts:4:9\)/);
      assert.match(r.errors[0].stack, /at Cell 1:2:1/);
      assert.doesNotMatch(r.errors[0].stack, /node:internal|cli\.bundle/);
    });

    it('reports an error thrown after its cell finished, and lives on', async () => {
      const r = await s.run("setTimeout(() => { throw new Error('late'); }, 10);\nawait new Promise((r) => setTimeout(r, 100));\n'after'");
      assert.equal(r.errors[0]?.message, 'late');
      assert.equal(r.text, '"after"');
      assert.equal((await s.run('1 + 1')).text, '2');
    });
  });

  describe('bad input: one clear error, the kernel lives on', () => {
    it('a syntax error names its line and column', async () => {
      await s.run('const kept = 1;');
      const r = await s.run('const ok = 1;\nconst broken = ;');
      assert.equal(r.status, 'error');
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].name, 'SyntaxError');
      assert.deepEqual([r.errors[0].line, r.errors[0].column], [2, 16]);
      assert.equal((await s.run('kept')).text, '1');
    });

    it('an import that does not resolve says where it looked and what to do', async () => {
      const r = await s.run("import { x } from './nowhere';");
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].message, `Cannot find module './nowhere' from ${s.dir}: check the path (relative to the notebook).`);
      const pkg = await s.run("import 'no-such-package-anywhere';");
      assert.match(pkg.errors[0].message, /install it \(npm install no-such-package-anywhere\)/);
      assert.equal((await s.run('2')).text, '2');
    });

    it('a pathspec that does not exist is a NotFoundError naming it', async () => {
      const r = await s.run("await Task('NoSuchFlow/1/start/1')");
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0].name, 'NotFoundError');
      assert.match(r.errors[0].message, /NoSuchFlow/);
      assert.equal((await s.run('3')).text, '3');
    });

    it('a cell may not redeclare a global the kernel needs', async () => {
      const r = await s.run('const process = 1;');
      assert.match(r.errors[0].message, /'process' is a global the kernel needs/);
      assert.equal((await s.run('typeof process.pid')).text, '"number"');
    });
  });

  describe('interrupt and restart', () => {
    it('stops a busy synchronous loop and keeps the state', async () => {
      await s.run('const kept = 42;');
      const running = s.run("console.log('spinning');\nlet spins = 0;\nwhile (true) spins++;");
      await s.printed('spinning');
      assert.equal(await s.kernel.interrupt(), 'interrupted');
      const r = await running;
      assert.equal(r.status, 'interrupted');
      assert.ok(!r.restarted);
      assert.equal((await s.run('kept')).text, '42');
    });

    it('stops a cell waiting on a promise and keeps the state', async () => {
      await s.run('const kept = 7;');
      const running = s.run("console.log('waiting');\nawait new Promise(() => {});");
      await s.printed('waiting');
      assert.equal(await s.kernel.interrupt(), 'interrupted');
      const r = await running;
      assert.equal(r.status, 'interrupted');
      assert.ok(!r.restarted);
      assert.equal((await s.run('kept')).text, '7');
      assert.equal(await s.kernel.interrupt(), 'idle', 'nothing runs now');
    });

    it('restarts, and says so, when a cell is busy after an await', async () => {
      await s.run('const kept = 1;');
      const running = s.run("await null;\nconsole.log('busy');\nwhile (true) {}");
      await s.printed('busy');
      assert.equal(await s.kernel.interrupt(), 'restarted');
      const r = await running;
      assert.equal(r.status, 'interrupted');
      assert.equal(r.restarted, true);
      assert.match(r.message!, /kernel was restarted/);
      assert.equal((await s.run('typeof kept')).text, '"undefined"');
    });

    it('restart gives a fresh kernel', async () => {
      await s.run('const kept = 1;');
      const pid = s.kernel.pid;
      await s.kernel.restart();
      assert.notEqual(s.kernel.pid, pid);
      assert.equal((await s.run('typeof kept')).text, '"undefined"');
    });

    it('a kernel that dies says so, and the next cell starts a new one', async () => {
      let died: unknown;
      s.kernel.onDidDie((e) => (died = e));
      await s.run('const kept = 1;');
      const r = await s.run('process.exit(3)');
      assert.equal(r.status, 'died');
      assert.match(r.message!, /The kernel died \(exit code 3\)\. Its variables are gone; the next cell you run starts a new kernel\./);
      assert.deepEqual(died, { code: 3, signal: null, stderr: '' });
      assert.equal((await s.run('typeof kept')).text, '"undefined"');
    });
  });

  describe('autoreload', () => {
    it('picks up an edited local module in the next cell, without re-importing it', async () => {
      const file = join(s.dir, 'scoring.ts');
      writeFileSync(file, 'export function score(x: number): number {\n  return x + 1;\n}\n');
      await s.run("import { score } from './scoring';\nconst kept = score(1);");
      assert.equal((await s.run('score(10)')).text, '11');
      writeFileSync(file, 'export function score(x: number): number {\n  return x * 100;\n}\n');
      bumpMtime(file);
      const r = await s.run('score(10)');
      assert.equal(r.text, '1000');
      assert.match(r.stdout, /autoreload: scoring\.ts changed: reloaded/);
      assert.equal((await s.run('kept')).text, '2', 'other state is kept');
    });

    it('reloads a module whose dependency changed, and leaves a name a cell reassigned alone', async () => {
      writeFileSync(join(s.dir, 'base.ts'), 'export const BASE = 1;\n');
      writeFileSync(
        join(s.dir, 'uses.ts'),
        "import { BASE } from './base';\nexport const total = () => BASE * 2;\nexport const other = 'x';\n",
      );
      await s.run("import { total, other } from './uses';\nother = 'mine';");
      writeFileSync(join(s.dir, 'base.ts'), 'export const BASE = 50;\n');
      bumpMtime(join(s.dir, 'base.ts'));
      assert.equal((await s.run('total()')).text, '100');
      assert.equal((await s.run('other')).text, '"mine"');
    });

    it('an edit that does not compile is one error when imported, and the kernel lives on', async () => {
      const file = join(s.dir, 'm.ts');
      writeFileSync(file, 'export const v = 1;\n');
      await s.run("import { v } from './m';");
      writeFileSync(file, 'export const v = ;\n');
      bumpMtime(file);
      const r = await s.run("import { v } from './m';");
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0].message, /cannot compile m\.ts:1:18: Unexpected ";"/);
      assert.equal((await s.run('1')).text, '1');
    });
  });
});

/** File systems with coarse timestamps: make the change visible to an mtime check for sure. */
function bumpMtime(file: string): void {
  const t = new Date(Date.now() + 5000);
  utimesSync(file, t, t);
}
