/** A pathspec that names nothing: the message lists what does exist nearby. */
import { UsageError } from '../errors';

export class NotFoundError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

export function nearby(label: string, items: string[], max = 8): string {
  if (!items.length) return `There are no ${label}.`;
  const shown = items.slice(0, max).join(', ');
  return `${label[0].toUpperCase()}${label.slice(1)}: ${shown}${items.length > max ? `, … (${items.length} in all)` : ''}.`;
}
