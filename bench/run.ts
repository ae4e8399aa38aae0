/**
 * `npm run bench`: runs every suite in bench/suites (or those named on the command line) and
 * writes docs/BENCHMARKS.md with the machine and the date. Suites measure real processes.
 */
import { readdirSync, writeFileSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './report';

const root = join(__dirname, '..', '..');
const resultsFile = join(root, 'docs', 'bench-results.json');

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = join(__dirname, 'suites');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  // Figures of suites not run this time are kept from the previous run.
  const previous: Record<string, { date: string; figures: BenchFigure[] }> = existsSync(resultsFile)
    ? JSON.parse(readFileSync(resultsFile, 'utf8'))
    : {};
  for (const f of files) {
    const suite = (require(join(dir, f)) as { suite: BenchSuite }).suite;
    if (only.length && !only.includes(suite.group)) continue;
    process.stdout.write(`bench: ${suite.group}…\n`);
    const figures = await suite.run();
    for (const fig of figures) {
      process.stdout.write(`  ${fig.name}: ${fig.value} ${fig.unit}${fig.target ? ` (target ${fig.target}: ${fig.ok ? 'met' : 'MISSED'})` : ''}\n`);
    }
    previous[suite.group] = { date: new Date().toISOString(), figures };
  }
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(previous, null, 2) + '\n');
  writeFileSync(join(root, 'docs', 'BENCHMARKS.md'), render(previous));
}

function render(all: Record<string, { date: string; figures: BenchFigure[] }>): string {
  const cpu = cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Each group shows when it was last measured.',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}.`,
    '',
  ];
  for (const [group, { date, figures }] of Object.entries(all).sort()) {
    lines.push(`## ${group} (measured ${date.slice(0, 16).replace('T', ' ')} UTC)`, '', '| figure | value | target | met |', '|---|---|---|---|');
    for (const f of figures) {
      const met = f.ok === undefined ? '' : f.ok ? 'yes' : '**no**';
      lines.push(`| ${f.name}${f.note ? ` — ${f.note}` : ''} | ${f.value} ${f.unit} | ${f.target ?? ''} | ${met} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
