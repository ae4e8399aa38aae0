/** Turns one case's differences into lines for a person, sorting them into kept (explained) and new. */
import type { ParityCase } from './case';
import type { Difference } from './compare';

export interface CaseVerdict {
  /** Differences the case does not list as kept: each one is a parity bug or an unexplained choice. */
  unexpected: Difference[];
  /** Listed as kept and found. */
  kept: Array<Difference & { why: string }>;
  /** Listed as kept but no longer found: the list (and docs/PARITY.md) is stale. */
  stale: string[];
}

export function verdict(c: ParityCase, diffs: Difference[]): CaseVerdict {
  const keptIds = new Map((c.kept ?? []).map((k) => [k.id, k.why]));
  return {
    unexpected: diffs.filter((d) => !keptIds.has(d.id)),
    kept: diffs.filter((d) => keptIds.has(d.id)).map((d) => ({ ...d, why: keptIds.get(d.id)! })),
    stale: (c.kept ?? []).filter((k) => !k.timing && !diffs.some((d) => d.id === k.id)).map((k) => k.id),
  };
}

export function describe(d: Difference): string {
  return `${d.id}: Metaflow ${d.metaflow} | Stepwise ${d.stepwise}`;
}

export function reportLines(c: ParityCase, v: CaseVerdict): string[] {
  const ok = !v.unexpected.length && !v.stale.length;
  const lines = [`${ok ? 'same' : 'DIFFERENT'}  ${c.name} — ${c.about}`];
  for (const d of v.unexpected) lines.push(`    new:  ${describe(d)}`);
  for (const d of v.kept) lines.push(`    kept: ${describe(d)}  (docs/PARITY.md: ${d.why})`);
  for (const id of v.stale)
    lines.push(`    stale: ${id} is listed as kept but not found any more: remove it (and its docs/PARITY.md entry)`);
  return lines;
}
