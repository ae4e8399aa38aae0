/**
 * The parse cache (runtime/src/graph/parseCache.ts): a run of a flow that has not changed since
 * the last does not load the TypeScript compiler, yet every change is seen at once: an edit of
 * the flow gets its new lint result, an edit of a module it imports gets its new missing-package
 * check. Real CLI processes on a scratch project with its own cache folder.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli';

const flow = (startBody: string) => `import { FlowSpec, step } from 'stepwise';
import { greeting } from './helper';

export default class CachedFlow extends FlowSpec {
  @step start() {
    this.text = greeting();
    ${startBody}
  }

  @step end() {
    console.log('said', this.text);
  }
}
`;

describe('the parse cache: unchanged flows skip the compiler, changed ones are seen (real CLI)', function () {
  this.timeout(120_000);
  let dir: string;
  let cache: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-parsecache-'));
    cache = join(dir, 'code-cache');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0' }));
    writeFileSync(join(dir, 'helper.ts'), `export function greeting() { return 'hi'; }\n`);
    writeFileSync(join(dir, 'flow.ts'), flow('this.next(this.end);'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (env: NodeJS.ProcessEnv = {}) =>
    runCli(['run', 'flow.ts', '--task-isolation', 'process'], {
      cwd: dir,
      env: { STEPWISE_DATASTORE_ROOT: join(dir, '.stepwise'), STEPWISE_CODE_CACHE_DIR: cache, ...env },
    });
  /** Node's module loader says which modules it loads (NODE_DEBUG=module). */
  const loadsTypescript = (stderr: string) => /load "[^"]*\/typescript\/lib\/typescript\.js"/.test(stderr);

  it('a second run of the same flow reads its graph and imports from the cache, without loading TypeScript', async () => {
    const first = await run({ NODE_DEBUG: 'module' });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.ok(loadsTypescript(first.stderr), 'the first run parses with TypeScript');
    const entries = readdirSync(join(cache, 'parsed')).sort();
    assert.ok(entries.some((e) => e.startsWith('graph-')) && entries.some((e) => e.startsWith('imports-')), entries.join(', '));
    const second = await run({ NODE_DEBUG: 'module' });
    assert.equal(second.code, 0, second.stdout + second.stderr);
    assert.match(second.stdout, /said hi/);
    assert.ok(!loadsTypescript(second.stderr), 'an unchanged flow is not parsed again');
    assert.deepEqual(readdirSync(join(cache, 'parsed')).sort(), entries, 'nothing new was written');
  });

  it('an edit of the flow gets its new lint result', async () => {
    assert.equal((await run()).code, 0);
    // `start` no longer says where to go: a lint error, exit 2, no run.
    writeFileSync(join(dir, 'flow.ts'), flow('void 0;'));
    const broken = await run();
    assert.equal(broken.code, 2, broken.stdout + broken.stderr);
    assert.match(broken.stderr, /the flow has 1 error.*\n.*flow\.ts:\d+:\d+: error SW\d+: /);
    writeFileSync(join(dir, 'flow.ts'), flow('this.next(this.end);'));
    const fixed = await run();
    assert.equal(fixed.code, 0, fixed.stdout + fixed.stderr);
  });

  it('an edit of an imported module gets its new missing-package check', async () => {
    assert.equal((await run()).code, 0);
    writeFileSync(join(dir, 'helper.ts'), `import pad from 'not-installed-pad';\nexport function greeting() { return pad('hi'); }\n`);
    const missing = await run();
    assert.equal(missing.code, 2, missing.stdout + missing.stderr);
    assert.ok(missing.stderr.includes(`${join(dir, 'helper.ts')}:1:18: the package 'not-installed-pad' is not installed`), missing.stderr);
    writeFileSync(join(dir, 'helper.ts'), `export function greeting() { return 'hello again'; }\n`);
    const back = await run();
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.match(back.stdout, /said hello again/);
  });
});
