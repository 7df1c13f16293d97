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
  /** The newest snapshot taken (copied out or not). */
  private lastSnapshot: FrozenSeries | undefined;
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
    const slot = this.count % this.capacityRuns;
    // About to overwrite the oldest run: a snapshot still waiting to be written keeps a copy of
    // that one run (two numbers), not of the whole series.
    const frozen = this.frozen;
    if (frozen !== undefined && this.count >= this.capacityRuns) frozen.keep(this.count - this.capacityRuns, this.starts[slot] ?? 0, this.values[slot] ?? NaN);
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
    // Several windows share a buffer: within one engine snapshot they all get the same object
    // (nothing changed in between), which the checkpoint writes once.
    const last = this.lastSnapshot;
    if (last !== undefined && last.usable && last.first === this.first && last.count === this.count && last.lastTick === this.lastTick && last.origin === this.origin) return last;
    this.frozen?.materialize();
    this.frozen = new FrozenSeries(this, this.first, this.count, this.lastTick, this.origin);
    this.lastSnapshot = this.frozen;
    return this.frozen;
  }

  /** @internal Called by a FrozenSeries once it holds its own copy. */
  release(f: FrozenSeries): void {
    if (this.frozen === f) this.frozen = undefined;
  }

  /** Takes a {@link snapshot}'s runs (typed arrays, or JSON arrays with null for NaN). */
  restore(state: unknown): void {
    const s = asRecord(state instanceof FrozenSeries ? state.toJSON() : state);
    this.frozen?.materialize();
    this.lastSnapshot = undefined;
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
    this.lastSnapshot = undefined;
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

/** Set while a checkpoint writer serializes natively (see withCheckpointBlobs). */
let checkpointBlobs: ((source: BlobSource) => unknown) | undefined;

/**
 * Runs `body` (a synchronous JSON.stringify of snapshot state) with series snapshots turning
 * into their checkpoint form: blob sources registered through `addBlob`, placeholders in the
 * JSON. Scoped to the call: nothing outlives it.
 */
export function withCheckpointBlobs<T>(addBlob: (source: BlobSource) => unknown, body: () => T): T {
  const outer = checkpointBlobs;
  checkpointBlobs = addBlob;
  try {
    return body();
  } finally {
    checkpointBlobs = outer;
  }
}

/**
 * The bytes of one typed array of a checkpoint, read when the checkpoint writer gets to them
 * (see FrozenSeries.toCheckpoint): nothing is copied on the tick.
 */
export interface BlobSource {
  /** The typed array type the bytes restore as (`Float64Array`). */
  readonly type: string;
  readonly byteLength: number;
  /** Copies the bytes into `into` at byte offset `at` (a multiple of 8 from the buffer's start). */
  copyTo(into: Uint8Array, at: number): void;
}

/**
 * A series snapshot whose runs still live in the buffer (copy on write, see
 * SeriesBuffer.snapshot): runs the buffer overwrites meanwhile are kept aside, one at a time.
 * JSON.stringify sees its plain form (a copy); the checkpoint writer reads it in place.
 */
export class FrozenSeries {
  private copy: SeriesState | undefined;
  /** Frozen runs the buffer has overwritten since (the oldest ones, in order). */
  private readonly lostStarts: number[] = [];
  private readonly lostValues: number[] = [];
  private pendingSources = 0;
  /** What toCheckpoint returned: a buffer shared by several windows is written once. */
  private placeholder: unknown;
  private placeholderFor: ((source: BlobSource) => unknown) | undefined;

  constructor(
    private buffer: SeriesBuffer | undefined,
    readonly first: number,
    readonly count: number,
    readonly lastTick: number,
    readonly origin: number,
  ) {}

  /** @internal The buffer is about to overwrite run `run` (start, value). */
  keep(run: number, start: number, value: number): void {
    if (run < this.first || run >= this.count) return;
    this.lostStarts.push(start);
    this.lostValues.push(value);
  }

  /** Copies the runs out (once); the buffer then goes its own way. */
  materialize(): SeriesState {
    if (this.copy === undefined) {
      if (this.buffer === undefined) throw new Error('series snapshot already written to a checkpoint in place: take a new snapshot');
      const n = this.count - this.first;
      const starts = new Float64Array(n);
      const values = new Float64Array(n);
      this.read(starts, values);
      this.copy = { count: this.count, lastTick: this.lastTick, origin: this.origin, starts, values };
      this.detach();
    }
    return this.copy;
  }

  /** Plain JSON: a copy; inside {@link withCheckpointBlobs}: the checkpoint form, read in place. */
  toJSON(): unknown {
    return checkpointBlobs === undefined ? this.materialize() : this.toCheckpoint(checkpointBlobs);
  }

  /**
   * The snapshot for a checkpoint: its runs as two blob sources (registered with `addBlob`, which
   * returns the placeholder to write), read in place when the writer copies them.
   */
  toCheckpoint(addBlob: (source: BlobSource) => unknown): unknown {
    // Met again in the same checkpoint (a shared buffer): the same blobs.
    if (this.placeholder !== undefined && this.placeholderFor === addBlob) return this.placeholder;
    if (!this.usable) throw new Error('series snapshot already written to a checkpoint in place: take a new snapshot');
    this.placeholderFor = addBlob;
    this.placeholder = this.checkpointForm(addBlob);
    return this.placeholder;
  }

  /** Whether its runs can still be read (not yet written out in place by a checkpoint). */
  get usable(): boolean {
    return this.copy !== undefined || this.buffer !== undefined;
  }

  private checkpointForm(addBlob: (source: BlobSource) => unknown): unknown {
    const n = this.count - this.first;
    if (this.copy !== undefined || this.buffer === undefined) {
      const c = this.materialize();
      return { count: c.count, lastTick: c.lastTick, origin: c.origin, starts: addBlob(typedSource(c.starts)), values: addBlob(typedSource(c.values)) };
    }
    this.pendingSources += 2;
    const source = (which: 0 | 1): BlobSource => ({
      type: 'Float64Array',
      byteLength: n * 8,
      copyTo: (into, at) => {
        const view = new Float64Array(into.buffer, into.byteOffset + at, n);
        if (this.copy !== undefined) view.set(which === 0 ? this.copy.starts : this.copy.values);
        else this.readOne(which, view);
        if (--this.pendingSources === 0 && this.copy === undefined) this.detach();
      },
    });
    return { count: this.count, lastTick: this.lastTick, origin: this.origin, starts: addBlob(source(0)), values: addBlob(source(1)) };
  }

  private read(starts: Float64Array, values: Float64Array): void {
    this.readOne(0, starts);
    this.readOne(1, values);
  }

  /** Runs [first, count), oldest first: the kept ones, then the ones still in the ring. */
  private readOne(which: 0 | 1, into: Float64Array): void {
    const lost = which === 0 ? this.lostStarts : this.lostValues;
    for (let i = 0; i < lost.length; i++) into[i] = lost[i] as number;
    const b = this.buffer as SeriesBuffer;
    const ring = which === 0 ? b.starts : b.values;
    const cap = b.capacityRuns;
    const from = this.first + lost.length;
    const n = this.count - from;
    if (n <= 0) return;
    const at = from % cap;
    const head = Math.min(n, cap - at);
    into.set(ring.subarray(at, at + head), lost.length);
    if (head < n) into.set(ring.subarray(0, n - head), lost.length + head);
  }

  private detach(): void {
    this.buffer?.release(this);
    this.buffer = undefined;
  }
}

function typedSource(a: Float64Array): BlobSource {
  return { type: 'Float64Array', byteLength: a.byteLength, copyTo: (into, at) => new Float64Array(into.buffer, into.byteOffset + at, a.length).set(a) };
}
