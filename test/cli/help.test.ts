import { strict as assert } from 'node:assert';
import { runCli } from '../support/cli';

describe('stepwise CLI: help and usage', () => {
  it('prints the command list with --help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: stepwise <command>/);
  });

  it('rejects an unknown command with exit 2 naming it', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command 'frobnicate'/);
  });
});
