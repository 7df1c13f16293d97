/**
 * Reconnect delays: doubling from `initialMs` up to `maxMs`, each scaled by a random factor in
 * [0.5, 1) so that nodes that lost the same broker do not all come back at the same instant.
 */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 30_000 };

/** The delay before retry number `attempt` (1 for the first retry). */
export function backoffDelayMs(attempt: number, opts: BackoffOptions, random: () => number): number {
  const full = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(full * (0.5 + 0.5 * Math.min(Math.max(random(), 0), 1)));
}
