import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import { fixtures } from '../support/cli';

/** Re-parsing after an edit reuses the previous tree; the graph must equal a fresh parse. */
describe('graph: incremental re-parse equals a fresh parse', () => {
  const files = ['flows', 'invalid'].flatMap((dir) =>
    readdirSync(join(fixtures, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(fixtures, dir, f), 'utf8')),
  );

  it('over random inserts, deletions and pasted chunks', function () {
    // 3,200 parses, CPU-bound: about 2 minutes on the shared 2-core machine under load, far more
    // than mocha's 60 s default; there is nothing to wait for, only work to finish.
    this.timeout(300_000);
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = 'ab this.next(){};=\n\'"/*@';
    let compared = 0;
    for (const original of files) {
      let text = original;
      parseFlow(text, 'edited.ts');
      for (let i = 0; i < 80; i++) {
        const at = rnd(text.length + 1);
        const op = rnd(3);
        if (op === 0) text = text.slice(0, at) + alphabet[rnd(alphabet.length)] + text.slice(at);
        else if (op === 1) text = text.slice(0, at) + text.slice(at + 1 + rnd(5));
        else text = text.slice(0, at) + text.slice(rnd(text.length), rnd(text.length) + 30) + text.slice(at);
        const incremental = parseFlow(text, 'edited.ts');
        const fresh = parseFlow(text, 'edited.ts', { incremental: false });
        assert.deepEqual(incremental, fresh, `after edit ${i}`);
        compared++;
      }
    }
    assert.ok(compared >= 1000);
  });

  it('when a flow is typed line by line and then undone', () => {
    const text = readFileSync(join(fixtures, 'flows', 'counter_branch.ts'), 'utf8');
    const lines = text.split('\n');
    for (let n = 0; n <= lines.length; n++) {
      const prefix = lines.slice(0, n).join('\n');
      assert.deepEqual(parseFlow(prefix, 'typed.ts'), parseFlow(prefix, 'typed.ts', { incremental: false }));
    }
    for (let n = lines.length; n >= 0; n--) {
      const prefix = lines.slice(0, n).join('\n');
      assert.deepEqual(parseFlow(prefix, 'typed.ts'), parseFlow(prefix, 'typed.ts', { incremental: false }));
    }
  });
});
