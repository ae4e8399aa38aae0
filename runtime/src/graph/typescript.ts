/**
 * The TypeScript compiler API (the `typescript` package, a dependency of the runtime), loaded on
 * first use: parsing walks the compiler's own nodes, and commands that never parse a flow
 * (`stepwise --help`) do not pay for loading it (compare the `cli` and `graph` groups of
 * `npm run bench`: `stepwise --help` against `stepwise check`). It stays out of the bundles: an
 * installed `stepwise` shares the project's copy, and the CLI loads it through V8's code cache
 * (boot/codeCache.ts).
 */
import type * as TsNamespace from 'typescript';

export type Ts = typeof TsNamespace;
export type { TsNamespace as TsTypes };

let loaded: Ts | undefined;

export function typescript(): Ts {
  loaded ??= require('typescript') as Ts;
  return loaded;
}
