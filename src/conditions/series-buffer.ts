import { asRecord, sameNumber } from './temporal-op.js';

/**
 * A circular buffer of one expression's per-tick values, stored as runs of equal values (value,
 * first tick). A series that holds still costs one run however long the window; the worst case,
 * a value that changes every tick, is one run per tick: O(window / period) memory, bounded by
 * `capacityRuns`, which the compiler sizes from the longest window reading this series.
 *
 * Runs make lazy catch-up exact: when event-driven evaluation skips ticks, the skipped ticks had
 * the value of the last run, so nothing needs replaying.
 */
export class SeriesBuffer {

  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick.
   */
  private readonly n = new Float64Array([0, 0, -1, -1]);

  get first(): number {
    return this.n[0] as number;
  }

  set first(v: number) {
    this.n[0] = v;
  }

  get count(): number {
    return this.n[1] as number;
  }

  set count(v: number) {
    this.n[1] = v;
  }

  get lastTick(): number {
    return this.n[2] as number;
  }

  set lastTick(v: number) {
    this.n[2] = v;
  }

  get origin(): number {
    return this.n[3] as number;
  }

  set origin(v: number) {
    this.n[3] = v;
  }
  readonly values: Float64Array;
  readonly starts: Float64Array;
  /** The newest snapshot whose runs are not copied out yet. */
  private frozen: FrozenSeries | undefined;
  /** Sequence number of the oldest run still stored. */
  /** Number of runs ever appended; the newest run is `count - 1`. */
  /** Last tick recorded; runs extend implicitly up to it. */
  /** First tick ever recorded: windows never reach before it. */

  constructor(readonly capacityRuns: number) {
    this.values = new Float64Array(capacityRuns);
    this.starts = new Float64Array(capacityRuns);
  }

  /**
   * Records `from[at]` at `tick`: the value is handed over as a register, not as an argument, so
   * V8 never boxes it on the tick path.
   */
  recordFrom(tick: number, from: Float64Array, at: number): void {
    this.record(tick, from[at] ?? NaN);
  }

  /** Records the value at `tick`. Idempotent within a tick (several windows share a buffer). */
  record(tick: number, value: number): void {
    if (tick === this.lastTick) return;
    if (this.origin < 0) this.origin = tick;
    this.lastTick = tick;
    if (this.count > 0 && sameNumber(this.valueOf(this.count - 1), value)) return;
    // About to overwrite the oldest run: if a snapshot still needs it, copy the snapshot out now.
    if (this.frozen !== undefined && this.count - this.capacityRuns >= this.frozen.first) this.frozen.materialize();
    const slot = this.count % this.capacityRuns;
    this.values[slot] = value;
    this.starts[slot] = tick;
    this.count++;
    if (this.count - this.first > this.capacityRuns) this.first = this.count - this.capacityRuns;
  }

  valueOf(run: number): number {
    return this.values[run % this.capacityRuns] ?? NaN;
  }

  startOf(run: number): number {
    return this.starts[run % this.capacityRuns] ?? 0;
  }

  /** Last tick of a run: the tick before the next run starts, or the last recorded tick. */
  endOf(run: number): number {
    return run + 1 < this.count ? this.startOf(run + 1) - 1 : this.lastTick;
  }

  /** The run holding `tick` (which must be recorded and still stored). */
  runAt(tick: number): number {
    let r = this.count - 1;
    while (r > this.first && this.startOf(r) > tick) r--;
    return r;
  }

  /**
   * The stored runs, oldest first, as a lazy snapshot: nothing is copied on the tick. The runs
   * are copied into two typed arrays when the snapshot is serialized (its `toJSON`, called by the
   * checkpoint writer between ticks) or, at the latest, just before a later `record` overwrites
   * one of them. A checkpoint writes typed arrays as raw bytes. NaN (unknown) stays NaN.
   */
  snapshot(): unknown {
    this.frozen?.materialize();
    this.frozen = new FrozenSeries(this, this.first, this.count, this.lastTick, this.origin);
    return this.frozen;
  }

  /** @internal The frozen runs [first, count) as typed-array copies. */
  copyRuns(first: number, count: number): { starts: Float64Array; values: Float64Array } {
    const n = count - first;
    const from = first % this.capacityRuns;
    const head = Math.min(n, this.capacityRuns - from);
    const starts = new Float64Array(n);
    const values = new Float64Array(n);
    starts.set(this.starts.subarray(from, from + head));
    values.set(this.values.subarray(from, from + head));
    if (head < n) {
      starts.set(this.starts.subarray(0, n - head), head);
      values.set(this.values.subarray(0, n - head), head);
    }
    return { starts, values };
  }

  /** @internal Called by a FrozenSeries once it holds its own copy. */
  release(f: FrozenSeries): void {
    if (this.frozen === f) this.frozen = undefined;
  }

  /** Takes a {@link snapshot}'s runs (typed arrays, or JSON arrays with null for NaN). */
  restore(state: unknown): void {
    const s = asRecord(state instanceof FrozenSeries ? state.toJSON() : state);
    this.frozen?.materialize();
    const starts = s['starts'];
    const values = s['values'];
    if (!isNumberList(starts) || !isNumberList(values) || starts.length !== values.length || starts.length > this.capacityRuns) {
      throw new Error('series snapshot is malformed');
    }
    this.count = Number(s['count']);
    this.lastTick = Number(s['lastTick']);
    this.origin = Number(s['origin']);
    this.first = this.count - starts.length;
    for (let i = 0; i < starts.length; i++) {
      const slot = (this.first + i) % this.capacityRuns;
      this.starts[slot] = Number(starts[i]);
      const v: unknown = values[i];
      this.values[slot] = v === null ? NaN : Number(v);
    }
  }

  reset(): void {
    this.frozen?.materialize();
    this.first = 0;
    this.count = 0;
    this.lastTick = -1;
    this.origin = -1;
  }
}

function isNumberList(v: unknown): v is ArrayLike<number | null> {
  return Array.isArray(v) || v instanceof Float64Array;
}

/** Plain form of a series snapshot. */
export interface SeriesState {
  readonly count: number;
  readonly lastTick: number;
  readonly origin: number;
  readonly starts: Float64Array;
  readonly values: Float64Array;
}

/**
 * A series snapshot whose runs still live in the buffer (copy on write, see
 * SeriesBuffer.snapshot). JSON.stringify and the checkpoint writer see its plain form.
 */
export class FrozenSeries {
  private copy: SeriesState | undefined;

  constructor(
    private buffer: SeriesBuffer | undefined,
    readonly first: number,
    readonly count: number,
    readonly lastTick: number,
    readonly origin: number,
  ) {}

  /** Copies the runs out of the buffer (once); the buffer may then overwrite them. */
  materialize(): SeriesState {
    if (this.copy === undefined) {
      const b = this.buffer as SeriesBuffer;
      this.copy = { count: this.count, lastTick: this.lastTick, origin: this.origin, ...b.copyRuns(this.first, this.count) };
      b.release(this);
      this.buffer = undefined;
    }
    return this.copy;
  }

  toJSON(): SeriesState {
    return this.materialize();
  }
}
