import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { shellCommandLine } from '../../client/src/shellCommand';

/** What a real POSIX shell hands to a program for the command line. */
function argvThroughSh(line: string): string[] {
  const r = spawnSync('/bin/sh', ['-c', line], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[];
}

describe('shellCommandLine', () => {
  const printArgv = [process.execPath, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))'];

  it('passes awkward paths through sh unchanged', () => {
    const args = ['/tmp/my flows/hello.ts', "it's.ts", 'a"b', '$HOME', '`x`', 'semi;colon', 'back\\slash', 'plain-arg_1.ts'];
    assert.deepEqual(argvThroughSh(shellCommandLine([...printArgv, ...args], 'linux')), args);
  });

  it('leaves simple words unquoted', () => {
    assert.equal(
      shellCommandLine(['node', '/ext/dist/cli.js', 'run', '/w/flows/hello.ts'], 'linux'),
      'node /ext/dist/cli.js run /w/flows/hello.ts',
    );
  });

  it('uses the call operator and single quotes for PowerShell', () => {
    assert.equal(
      shellCommandLine(['C:\\Program Files\\node.exe', 'C:\\ext\\dist\\cli.js', 'run', "C:\\w\\it's.ts"], 'win32'),
      "& 'C:\\Program Files\\node.exe' 'C:\\ext\\dist\\cli.js' 'run' 'C:\\w\\it''s.ts'",
    );
  });
});
