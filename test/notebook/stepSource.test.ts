/** A step's body as a notebook cell: the rewrite, read with TypeScript's parser. */
import * as assert from 'node:assert/strict';
import { retarget, stepSource } from '../../runtime/src/notebook/builder/stepSource';

const FLOW = `import { FlowSpec, step, current, type Inputs } from 'stepwise';
import * as path from 'node:path';
import def, { parse as parseIt, unused } from './lib/parse';
import type { Row } from './types';

const LIMIT = 3;
function clamp(x: number): number {
  return Math.min(x, LIMIT);
}

export default class F extends FlowSpec {
  declare rows: Row[];
  @step async start() {
    const text = \`
      keep ${'$'}{this.rows}
    \`;
    const self2 = this;
    const f = function () {
      return this;
    };
    const g = () => this.rows.length;
    const o = { m() { return this; }, rows: 1 };
    if (g() > 1) this.next(this.a); else {
      this.next(
        this.a,
      );
    }
    this['rows'] = await Promise.resolve(parseIt(def + path.sep + clamp(2)) as Row[]);
    switch (current.taskId) {
      case '1':
        this.next(this.b);
    }
    return this.next(this.end);
  }
  @step join(branches: Inputs<F>) { this.rows = branches.flatMap((b) => b.rows); this.next(this.end); }
}
`;

describe('a step body as a cell', () => {
  const s = stepSource(FLOW, '/ws/flows/f.ts', 'start', '/ws/.stepwise/notebooks');

  it('rewrites `this` to `self` where it means the flow object, and nowhere else', () => {
    assert.match(s.code, /^const self2 = self;$/m);
    assert.match(s.code, /^  return this;$/m, 'a function expression has its own `this`');
    assert.match(s.code, /^const g = \(\) => self\.rows\.length;$/m, 'an arrow function shares it');
    assert.match(s.code, /^const o = \{ m\(\) \{ return this; \}, rows: 1 \};$/m, 'an object method has its own');
    assert.match(s.code, /^self\['rows'\] = await Promise\.resolve/m);
  });

  it('leaves `this.next(…)` as a comment that keeps the code valid', () => {
    assert.match(s.code, /^if \(g\(\) > 1\) \/\* this\.next\(this\.a\); \(not taken in a notebook\) \*\/; else \{$/m);
    assert.match(s.code, /^ {2}\/\/ this\.next\(\n {2}\/\/ {3}this\.a,\n {2}\/\/ \);  \(not taken in a notebook\)$/m);
    assert.match(s.code, /^ {4}\/\/ this\.next\(this\.b\);  \(not taken in a notebook\)$/m);
    assert.match(s.code, /^return undefined \/\* this\.next\(this\.end\) \(not taken in a notebook\) \*\/;$/m);
  });

  it('dedents the body but not a template literal’s content', () => {
    assert.match(s.code, /^const text = `\n {6}keep \$\{self\.rows\}\n {4}`;$/m);
    assert.equal(s.code.split('\n')[0], 'const text = `');
  });

  it('lists the imports the body uses, relative to the notebook, and the file’s own names', () => {
    assert.deepEqual(s.imports, [
      "import { current } from 'stepwise';",
      "import * as path from 'node:path';",
      "import def, { parse as parseIt } from '../../flows/lib/parse';",
    ]);
    assert.deepEqual(s.scopeNames, ['clamp']);
    assert.equal(s.line, 13);
    assert.equal(s.inputsName, undefined);
  });

  it('names a join’s parameter', () => {
    const j = stepSource(FLOW, '/ws/flows/f.ts', 'join', '/ws/.stepwise/notebooks');
    assert.equal(j.inputsName, 'branches');
    assert.equal(j.code, 'self.rows = branches.flatMap((b) => b.rows); /* this.next(this.end); (not taken in a notebook) */;');
  });

  it('says which step is missing', () => {
    assert.throws(() => stepSource(FLOW, '/ws/flows/f.ts', 'gone', '/ws'), /has no step 'gone' any more/);
  });

  it('retargets relative specifiers only', () => {
    assert.equal(retarget('./lib/a', '/ws/flows/f.ts', '/ws/flows'), './lib/a');
    assert.equal(retarget('../shared/b.js', '/ws/flows/f.ts', '/ws/.stepwise/notebooks'), '../../shared/b.js');
    assert.equal(retarget('lodash', '/ws/flows/f.ts', '/elsewhere'), 'lodash');
  });
});
