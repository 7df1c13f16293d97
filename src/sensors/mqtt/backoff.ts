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

/**
 * When an MQTT connection (the sensors', the outbox's) tries again after a drop, and which drops
 * are worth a log record: retries that fail the same way stay quiet until something changes.
 */
export class ReconnectPolicy {
  private failures = 0;
  private connectedAtMs = 0;
  private lastReported = '';

  constructor(private readonly deps: { readonly nowMs: () => number; readonly random: () => number; readonly backoff: BackoffOptions }) {}

  /** The connection is up: the next failure is news. */
  connected(): void {
    this.connectedAtMs = this.deps.nowMs();
    this.lastReported = '';
  }

  /**
   * The connection dropped (or an attempt failed) the way `kind` says. A connection that held
   * for a while starts the backoff over; a flapping one keeps growing it.
   */
  next(kind: string, wasConnected: boolean): { readonly delayMs: number; readonly report: boolean } {
    if (wasConnected && this.deps.nowMs() - this.connectedAtMs >= this.deps.backoff.maxMs) this.failures = 0;
    this.failures++;
    const report = kind !== this.lastReported;
    this.lastReported = kind;
    return { delayMs: backoffDelayMs(this.failures, this.deps.backoff, this.deps.random), report };
  }
}
