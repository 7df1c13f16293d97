import { DurationHistogram, type DurationSummary } from './histograms.js';

/** Actions of one kind (log, mqtt, gpio, http, callback) in a profile. */
export interface ActionKindSummary {
  readonly kind: string;
  readonly count: number;
  readonly failed: number;
  /** From dispatch to outcome; null when not timed (simulated actions take no time). */
  readonly latency: DurationSummary | null;
}

interface KindStats {
  count: number;
  failed: number;
  latency: DurationHistogram | undefined;
}

/** Counts, failures and latency of actions and callbacks, by kind. Off the tick path: actions are rare. */
export class ActionStats {
  private readonly kinds = new Map<string, KindStats>();

  /** One action of `kind` finished: ok or failed (a timeout is a failure), `us` after dispatch (undefined: not timed). */
  recordAction(kind: string, us: number | undefined, ok: boolean): void {
    let k = this.kinds.get(kind);
    if (k === undefined) this.kinds.set(kind, (k = { count: 0, failed: 0, latency: undefined }));
    k.count++;
    if (!ok) k.failed++;
    if (us !== undefined) (k.latency ??= new DurationHistogram()).recordUs(us);
  }

  /** By kind, in name order (stable output). */
  summaries(): ActionKindSummary[] {
    return [...this.kinds.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([kind, k]) => ({ kind, count: k.count, failed: k.failed, latency: k.latency === undefined ? null : k.latency.summary() }));
  }
}
