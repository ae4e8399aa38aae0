import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeFlowText } from '../../client/src/flowDetection';

const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures');

describe('looksLikeFlowText (what wakes the language server)', () => {
  for (const dir of ['flows', 'invalid']) {
    for (const f of readdirSync(join(fixtures, dir)).filter((f) => f.endsWith('.ts'))) {
      // Every fixture, valid or not, holds a flow class.
      it(`${dir}/${f} is a flow`, () => assert.equal(looksLikeFlowText(readFileSync(join(fixtures, dir, f), 'utf8')), true));
    }
  }

  it('ignores plain TypeScript, and FlowSpec mentioned without a subclass', () => {
    assert.equal(looksLikeFlowText('export const x = 1;\nclass A extends B {}\n'), false);
    assert.equal(looksLikeFlowText("import { FlowSpec } from 'stepwise';\nexport type F = FlowSpec;\n"), false);
  });

  it('accepts a namespace import', () => {
    assert.equal(looksLikeFlowText("import * as sw from 'stepwise';\nexport default class F extends sw.FlowSpec {}\n"), true);
  });
});
