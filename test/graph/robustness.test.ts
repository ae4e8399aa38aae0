import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlow } from '../../runtime/src/graph';
import { lintFlow } from '../../runtime/src/lint';
import { fixtures } from '../support/cli';

/** What the language server sees while someone types: every prefix, and text with a chunk cut out. */
describe('graph + lint: half-typed and damaged text never throws', () => {
  const files = ['flows', 'invalid'].flatMap((dir) =>
    readdirSync(join(fixtures, dir))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(fixtures, dir, f), 'utf8')),
  );

  it('parses and lints every prefix of every fixture (in steps of 11 characters)', () => {
    let checked = 0;
    for (const text of files) {
      for (let n = 0; n <= text.length; n += 11) {
        const g = parseFlow(text.slice(0, n));
        const ds = lintFlow(g);
        assert.ok(Array.isArray(ds));
        JSON.stringify(g);
        checked++;
      }
    }
    assert.ok(checked > 300);
  });

  it('parses and lints each fixture with a line removed, and keeps ranges inside the text', () => {
    for (const text of files) {
      const lines = text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const damaged = [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n');
        const count = damaged.split('\n').length;
        for (const d of lintFlow(parseFlow(damaged))) {
          assert.ok(d.range.start.line < count && d.range.end.line < count, `${d.code} out of range`);
          assert.ok(d.message.length > 20);
        }
      }
    }
  });

  it('handles empty text, non-flow text and odd members', () => {
    assert.equal(parseFlow('').flowName, null);
    assert.equal(parseFlow('}}}{{{ class').flowName, null);
    const g = parseFlow(`import { FlowSpec, step } from 'stepwise';
export default class Odd extends FlowSpec {
  ['computed']() {}
  static helper() {}
  #secret = 1;
  @step start(): void;
  @step start() { this.#secret; this.next(this.end); }
  @step end() {}
}`);
    // The overload signature is not a second `start`.
    assert.deepEqual(
      g.steps.map((s) => s.name),
      ['start', 'end'],
    );
    assert.deepEqual(lintFlow(g), []);
  });
});
