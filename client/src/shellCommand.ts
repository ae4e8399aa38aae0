/**
 * A command line for a terminal's default shell, built from an argv: PowerShell on Windows, a
 * POSIX shell elsewhere. Pure (no vscode), so plain-Node tests run it through a real shell.
 */
export function shellCommandLine(argv: string[], platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return '& ' + argv.map((a) => `'${a.replace(/'/g, "''")}'`).join(' ');
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
