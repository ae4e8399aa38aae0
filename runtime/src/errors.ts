/**
 * A mistake in how something was called or in its input (a bad flag, a missing required
 * parameter, a lint error, an unknown pathspec): reported as one clear message, exit code 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
