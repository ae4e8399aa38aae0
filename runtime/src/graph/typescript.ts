/**
 * The TypeScript compiler API bundled with ts-morph, loaded on first use: parsing walks the
 * compiler's own nodes (about 3× faster than ts-morph's wrappers), and commands that never
 * parse a flow (`stepwise --help`) do not pay for loading it (compare the `cli` and `graph`
 * groups of `npm run bench`: `stepwise --help` against `stepwise check`).
 */
import type { ts as TsNamespace } from 'ts-morph';

export type Ts = typeof TsNamespace;
export type { TsNamespace as TsTypes };

let loaded: Ts | undefined;

export function typescript(): Ts {
  loaded ??= (require('ts-morph') as typeof import('ts-morph')).ts;
  return loaded;
}
