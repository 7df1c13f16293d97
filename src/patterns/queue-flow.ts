import { asRecord, num } from '../conditions/temporal-op.js';

/** Microseconds per minute: rates are reported per minute (issue 3 item 5). */
const US_PER_MINUTE = 60_000_000;

/** First ring size; the ring doubles up to `windowTicks` entries, so a quiet queue stays small. */
const INITIAL_CAPACITY = 16;

/**
 * The `queue_flow` pattern (issue 3 item 5): a queue fed by arrival and departure events (rising
 * edges of beam breaks or door counters, or `entered`/`exited` of a zone).
 *
 * Outputs after `record(k, ...)`:
 * - `length`: arrivals minus accepted departures since the start. It never goes below 0: a
 *   departure from an empty queue is ignored (a missed arrival is likelier than a negative queue)
 *   and counted in `ignoredDepartures`. Within one tick arrivals count first, so someone who
 *   arrives and leaves in the same tick is served.
 * - `arrivalRate`, `serviceRate`: events per minute over the window, i.e. the ticks j with
 *   t_k - W < t_j <= t_k (the last `windowTicks` ticks, SPEC §4.3), divided by the full window
 *   length W even while the run is younger than W (a sum(x, D) / D, not an average over the
 *   elapsed time). Ignored departures are not service.
 * - `waitS`: length / (serviceRate / 60) seconds by Little's law; NaN (unknown) while serviceRate
 *   is 0.
 *
 * Only ticks with events are stored, as (tick, arrivals, departures) in a ring bounded by
 * `windowTicks` entries. Skipped ticks count as ticks without events, so recording only the ticks
 * that had events (plus the ticks `nextDue` asks for) gives the same outputs as recording every
 * tick. Counts are integers, so the running sums are exact and never drift.
 */
export class QueueFlow {
  private ticks: Float64Array;
  private arrivals: Float64Array;
  private departures: Float64Array;
  /** Sequence number of the oldest stored entry; entries ever stored = `end`. */
  private start = 0;
  private end = 0;
  private lastTick = -1;
  private arrivalSum = 0;
  private departureSum = 0;
  private queueLength = 0;
  private ignored = 0;
  private readonly perMinute: number;

  constructor(
    private readonly windowTicks: number,
    periodUs: number,
  ) {
    if (!Number.isInteger(windowTicks) || windowTicks < 1) {
      throw new Error(`queue_flow: the window must be at least one tick, got ${windowTicks}`);
    }
    if (!(periodUs > 0) || !Number.isFinite(periodUs)) throw new Error(`queue_flow: bad tick period ${periodUs} µs`);
    this.perMinute = US_PER_MINUTE / (windowTicks * periodUs);
    const capacity = Math.min(windowTicks, INITIAL_CAPACITY);
    this.ticks = new Float64Array(capacity);
    this.arrivals = new Float64Array(capacity);
    this.departures = new Float64Array(capacity);
  }

  /**
   * Records the events of `tick` and slides the window to it. Call at most once per tick, with
   * ticks increasing; a call for an earlier tick than the last is ignored, and a second call for
   * the same tick adds to it. Counts that are not finite non-negative numbers count as 0 (an
   * unknown input has no edges); fractions are rounded down.
   */
  record(tick: number, arrivals: number, departures: number): void {
    if (tick < this.lastTick) return;
    this.lastTick = tick;
    this.expire(tick);
    const a = count(arrivals);
    const d = count(departures);
    this.queueLength += a;
    const served = Math.min(d, this.queueLength);
    this.queueLength -= served;
    this.ignored += d - served;
    if (a === 0 && served === 0) return;
    this.arrivalSum += a;
    this.departureSum += served;
    if (this.end > this.start && this.tickAt(this.end - 1) === tick) {
      const i = (this.end - 1) % this.ticks.length;
      this.arrivals[i] = (this.arrivals[i] ?? 0) + a;
      this.departures[i] = (this.departures[i] ?? 0) + served;
      return;
    }
    this.push(tick, a, served);
  }

  /** Drops the entries that are no longer in the window ending at `tick`. */
  private expire(tick: number): void {
    const cap = this.ticks.length;
    while (this.start < this.end && (this.ticks[this.start % cap] ?? 0) <= tick - this.windowTicks) {
      const i = this.start % cap;
      this.arrivalSum -= this.arrivals[i] ?? 0;
      this.departureSum -= this.departures[i] ?? 0;
      this.start++;
    }
  }

  private push(tick: number, a: number, d: number): void {
    if (this.end - this.start === this.ticks.length) this.grow();
    const i = this.end % this.ticks.length;
    this.ticks[i] = tick;
    this.arrivals[i] = a;
    this.departures[i] = d;
    this.end++;
  }

  /**
   * Doubles the ring (up to `windowTicks`, which it can never need to exceed: one entry per tick
   * in the window) and re-bases the sequence numbers at 0.
   */
  private grow(): void {
    const n = this.end - this.start;
    const capacity = Math.min(this.windowTicks, Math.max(1, this.ticks.length * 2));
    const ticks = new Float64Array(capacity);
    const arrivals = new Float64Array(capacity);
    const departures = new Float64Array(capacity);
    for (let j = 0; j < n; j++) {
      const i = (this.start + j) % this.ticks.length;
      ticks[j] = this.ticks[i] ?? 0;
      arrivals[j] = this.arrivals[i] ?? 0;
      departures[j] = this.departures[i] ?? 0;
    }
    this.ticks = ticks;
    this.arrivals = arrivals;
    this.departures = departures;
    this.start = 0;
    this.end = n;
  }

  private tickAt(seq: number): number {
    return this.ticks[seq % this.ticks.length] ?? 0;
  }

  /** Queue length (arrivals - accepted departures since the start). */
  get length(): number {
    return this.queueLength;
  }

  /** Departures that arrived at an empty queue and were ignored. */
  get ignoredDepartures(): number {
    return this.ignored;
  }

  /** Arrivals per minute over the window. */
  get arrivalRate(): number {
    return this.arrivalSum * this.perMinute;
  }

  /** Accepted departures per minute over the window. */
  get serviceRate(): number {
    return this.departureSum * this.perMinute;
  }

  /** Expected wait in seconds (Little's law); NaN while the service rate is 0. */
  get waitS(): number {
    return this.departureSum === 0 ? NaN : (this.queueLength * 60) / this.serviceRate;
  }

  /**
   * The tick at which the oldest event in the window leaves it (an event at tick j counts up to
   * tick j + windowTicks - 1), which changes the rates and the wait; Infinity when the window holds
   * no event. `length` changes only with new events.
   */
  nextDue(tick: number): number {
    if (this.start === this.end) return Infinity;
    return Math.max(this.tickAt(this.start) + this.windowTicks, tick + 1);
  }

  /** Plain JSON: counters and the events still in the window as [tick, arrivals, departures]. */
  snapshot(): unknown {
    const events: Array<[number, number, number]> = [];
    const cap = this.ticks.length;
    for (let s = this.start; s < this.end; s++) {
      const i = s % cap;
      events.push([this.ticks[i] ?? 0, this.arrivals[i] ?? 0, this.departures[i] ?? 0]);
    }
    return { lastTick: this.lastTick, length: this.queueLength, ignored: this.ignored, events };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    const events = s['events'];
    if (!Array.isArray(events) || events.length > this.windowTicks) throw new Error('queue_flow snapshot: bad events');
    this.reset();
    this.lastTick = num(s, 'lastTick');
    this.queueLength = num(s, 'length');
    this.ignored = num(s, 'ignored');
    for (const e of events as unknown[]) {
      if (!Array.isArray(e) || e.length !== 3 || !e.every((v) => typeof v === 'number')) {
        throw new Error('queue_flow snapshot: bad event');
      }
      const [tick, a, d] = e as [number, number, number];
      this.push(tick, a, d);
      this.arrivalSum += a;
      this.departureSum += d;
    }
  }

  /**
   * Forgets everything, queue length included (after a downtime longer than `resume_max_gap`,
   * the queue seen before it says nothing about the queue now).
   */
  reset(): void {
    this.start = 0;
    this.end = 0;
    this.lastTick = -1;
    this.arrivalSum = 0;
    this.departureSum = 0;
    this.queueLength = 0;
    this.ignored = 0;
  }
}

function count(n: number): number {
  return n > 0 && Number.isFinite(n) ? Math.floor(n) : 0;
}
