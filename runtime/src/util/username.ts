/**
 * The one user-name lookup (runs, `current.username`, and later tags and namespaces): Stepwise's
 * own variable first, then the variables Metaflow reads, in its order, then the OS account.
 */
import { userInfo } from 'node:os';

/** Read in this order; the first one set wins. */
export const USER_VARIABLES = ['STEPWISE_USER', 'METAFLOW_USER', 'SUDO_USER', 'USERNAME', 'USER'] as const;

export function username(env: NodeJS.ProcessEnv = process.env): string {
  for (const name of USER_VARIABLES) {
    const value = env[name]?.trim();
    // Like Metaflow, a Metaflow variable saying `root` is passed over (`sudo` from root, a
    // container's USER); STEPWISE_USER is taken as given.
    if (value && (value !== 'root' || name === 'STEPWISE_USER')) return value;
  }
  // Where Metaflow refuses to run without a non-root name, Stepwise takes the OS account, `root`
  // included, so that a flow runs in a container with no set-up.
  return osAccount() ?? 'unknown';
}

/** The OS account this process runs as (the one file permissions apply to), if the OS says. */
export function osAccount(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
