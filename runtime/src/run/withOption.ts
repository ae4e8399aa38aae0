/**
 * `--with retry`, `--with retry:times=2,minutesBetweenRetries=0` (Metaflow's `--with` syntax): a
 * step decorator added to every step that has none of that name. Checked here against the same
 * option table the decorators and lint use, so a typo is a usage error before anything runs.
 */
import { DECORATORS, isStepDecoratorName, optionProblem, STEP_DECORATOR_NAMES, timeoutSeconds } from '../api/decoratorOptions';
import { UsageError } from '../errors';
import type { WithDecorator } from '../graph/decorators';

export function parseWithOption(text: string): WithDecorator {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!isStepDecoratorName(name)) {
    throw new UsageError(
      `--with ${text}: no step decorator '${name}'. Known: ${STEP_DECORATOR_NAMES.join(', ')} (e.g. --with retry:times=2).`,
    );
  }
  const options: Record<string, unknown> = {};
  const body = colon < 0 ? '' : text.slice(colon + 1).trim();
  for (const pair of body ? body.split(',') : []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--with ${text}: '${pair}' is not key=value (e.g. --with ${name}:${exampleOf(name)}).`);
    const key = pair.slice(0, eq).trim();
    const value = literal(pair.slice(eq + 1).trim());
    const problem = optionProblem(name, key, value);
    if (problem) throw new UsageError(`--with ${text}: ${problem}`);
    options[key] = value;
  }
  if (name === 'timeout' && !(timeoutSeconds(options) > 0)) {
    throw new UsageError(`--with ${text}: @timeout needs a positive duration, e.g. --with timeout:minutes=10.`);
  }
  return { name, options };
}

/** `2` → 2, `true` → true, anything else stays a string (`var=failure`). */
function literal(raw: string): unknown {
  if (raw === 'true' || raw === 'false') return raw === 'true';
  if (raw !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw.replace(/^(['"])(.*)\1$/, '$2');
}

function exampleOf(name: string): string {
  const key = Object.keys(DECORATORS[name as keyof typeof DECORATORS].options)[0];
  return `${key}=…`;
}
