/**
 * How a step's production decorators read to a person: as written (`@retry({ times: 2 })`), as a
 * short badge for the DAG preview (↻2, catch, ⏱5m), and as what they will do. One place for the
 * language server's hover and the webview's nodes, so they never disagree. Pure data.
 */
import { DECORATORS, policyFrom, type StepDecoratorName } from '../api/decoratorOptions';
import { literalOptions } from './decorators';
import type { DecoratorNode, StepNode } from './types';

export type BadgeKind = StepDecoratorName;

export interface Badge {
  kind: BadgeKind;
  /** The few characters drawn on the node. */
  text: string;
  /** The decorator as written, then what it does: the badge's tooltip. */
  title: string;
}

/** The decorator as written in the source, options in source order. */
export function decoratorSource(d: DecoratorNode): string {
  if (!d.called) return `@${d.name}`;
  if (d.invalidArgument) return `@${d.name}(${d.invalidArgument.text})`;
  if (!d.options.length) return `@${d.name}()`;
  const opts = d.options.map((o) => `${o.key}: ${o.valueText ?? JSON.stringify(o.value)}`);
  return `@${d.name}({ ${opts.join(', ')} })`;
}

/** What the decorator will do, defaults filled in (a non-literal option reads as "set when the run starts"). */
export function decoratorEffect(d: DecoratorNode): string {
  if (d.name === 'project') return DECORATORS.project.doc;
  const policy = policyFrom({ [d.name]: literalOptions(d) });
  const computed = d.options.some((o) => o.valueText !== undefined) ? ' (an option is not a literal: the runner cannot read it)' : '';
  switch (d.name) {
    case 'retry': {
      const r = policy.retry!;
      const gap = r.minutesBetweenRetries === 0 ? 'at once' : `${r.minutesBetweenRetries} min apart`;
      return `up to ${r.times} ${r.times === 1 ? 'retry' : 'retries'}, ${gap}${computed}`;
    }
    case 'catchFailure': {
      const c = policy.catchFailure!;
      return `a failure after the last attempt is caught and the flow goes on${c.var ? `; \`${c.var}\` holds it` : ''}${computed}`;
    }
    case 'timeout':
      return `each attempt is killed after ${duration(policy.timeoutSeconds ?? 0)}${computed}`;
    case 'resources': {
      const r = policy.resources ?? {};
      const parts = [
        r.cpu !== undefined && `${r.cpu} CPU`,
        r.memoryMb !== undefined && `${r.memoryMb} MB`,
        r.gpu !== undefined && `${r.gpu} GPU`,
      ];
      return `asks for ${parts.filter(Boolean).join(', ') || 'nothing yet'}${computed}`;
    }
    case 'slurm':
      return `runs as a Slurm job${policy.slurm?.partition ? ` on partition ${policy.slurm.partition}` : ''}${computed}`;
  }
}

/** The badges of a step's own decorators, in source order. */
export function stepBadges(step: Pick<StepNode, 'decorators'>): Badge[] {
  const out: Badge[] = [];
  for (const d of step.decorators ?? []) {
    const name = d.name;
    if (name === 'project' || out.some((b) => b.kind === name)) continue;
    out.push({ kind: name, text: badgeText(name, d), title: `${decoratorSource(d)}: ${decoratorEffect(d)}` });
  }
  return out;
}

function badgeText(name: StepDecoratorName, d: DecoratorNode): string {
  const policy = policyFrom({ [name]: literalOptions(d) });
  switch (name) {
    case 'retry':
      return `↻${policy.retry!.times}`;
    case 'catchFailure':
      return 'catch';
    case 'timeout':
      return `⏱${duration(policy.timeoutSeconds ?? 0, true)}`;
    case 'resources': {
      const r = policy.resources ?? {};
      if (r.gpu) return `${r.gpu} GPU`;
      if (r.memoryMb !== undefined) return r.memoryMb >= 1024 && r.memoryMb % 1024 === 0 ? `${r.memoryMb / 1024} GB` : `${r.memoryMb} MB`;
      return r.cpu !== undefined ? `${r.cpu} CPU` : 'res';
    }
    case 'slurm':
      return 'slurm';
  }
}

/** 90 → "1m30s" (short) or "90 s". */
function duration(seconds: number, short = false): string {
  if (!short) return `${seconds} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round((seconds % 60) * 100) / 100;
  const parts = [h && `${h}h`, m && `${m}m`, s && `${s}s`].filter(Boolean);
  return parts.join('') || '0s';
}
