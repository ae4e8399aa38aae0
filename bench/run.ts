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

/**
 * A fixed CPU loop, timed before each group: this shared 2-core machine's speed drifts over the
 * day (the same task code measured 307 and 445 ms hours apart), so each group records how fast
 * the machine was when it ran. Lower is faster.
 */
function cpuProbeMs(): number {
  const t = process.hrtime.bigint();
  let x = 0;
  for (let i = 0; i < 3e8; i++) x += i % 7;
  if (x < 0) console.log(x);
  return Math.round(Number(process.hrtime.bigint() - t) / 1e6);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const dir = join(__dirname, 'suites');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  // Figures of suites not run this time are kept from the previous run.
  const previous: Record<string, { date: string; figures: BenchFigure[]; cpuProbeMs?: number }> = existsSync(resultsFile)
    ? JSON.parse(readFileSync(resultsFile, 'utf8'))
    : {};
  for (const f of files) {
    const suite = (require(join(dir, f)) as { suite: BenchSuite }).suite;
    if (only.length && !only.includes(suite.group)) continue;
    const probe = cpuProbeMs();
    process.stdout.write(`bench: ${suite.group}… (CPU probe ${probe} ms)\n`);
    const figures = await suite.run();
    for (const fig of figures) {
      process.stdout.write(
        `  ${fig.name}: ${fig.value} ${fig.unit}${fig.target ? ` (target ${fig.target}: ${fig.ok ? 'met' : 'MISSED'})` : ''}\n`,
      );
    }
    previous[suite.group] = { date: new Date().toISOString(), figures, cpuProbeMs: probe };
  }
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(resultsFile, JSON.stringify(previous, null, 2) + '\n');
  writeFileSync(join(root, 'docs', 'BENCHMARKS.md'), render(previous));
}

function render(all: Record<string, { date: string; figures: BenchFigure[]; cpuProbeMs?: number }>): string {
  const cpu = cpus();
  const lines = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.ts). Each group shows when it was last measured and a',
    'CPU probe taken just before it (a fixed loop, in ms: lower is a faster machine at that moment;',
    'the shared machine drifts by 30 % or more over a day).',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${platform()} ${release()}, Node ${process.version}.`,
    '',
  ];
  for (const [group, { date, figures, cpuProbeMs: probe }] of Object.entries(all).sort()) {
    const when = `measured ${date.slice(0, 16).replace('T', ' ')} UTC${probe ? `, CPU probe ${probe} ms` : ''}`;
    lines.push(`## ${group} (${when})`, '', '| figure | value | target | met |', '|---|---|---|---|');
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
