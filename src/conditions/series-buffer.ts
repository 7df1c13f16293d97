import { asRecord, sameNumber } from './temporal-op.js';

/**
 * `tick % size` for a whole tick from 0 to 2^52: V8 compiles `%` on doubles (ticks live in typed
 * arrays as doubles) to a call into C, several times slower than this division, which is exact
 * there (tick / size rounds correctly, and no quotient that close to a whole number is rounded
 * up to it below 2^52).
 */
export function ringSlot(tick: number, size: number): number {
  return tick - Math.floor(tick / size) * size;
}

/** Run starts a buffer remembers (see SeriesBuffer.recent): enough for WindowSumOp.dueToCross. */
export const RECENT_RUNS = 33;

/**
 * What a buffer asks of a window that keeps a running total over it (WindowSumOp): to step its
 * total up to `tick` while the values it needs are still stored. See SeriesBuffer.record.
 */
export interface SeriesFollower {
  catchUp(tick: number): void;
}

/**
 * A circular buffer of one expression's per-tick values: a dense ring of doubles, the value of
 * tick j at `values[j % capacity]`, so a buffered sample costs 8 bytes whatever the series does.
 * The compiler sizes it from the longest window reading the series (window ticks + 2: the window,
 * the tick that just left it, and one spare).
 *
 * Event-driven evaluation records a series only on the ticks its readers run: the ticks skipped
 * in between held the last value recorded (a reader is woken whenever its input changes), so
 * `record` fills them in. A window keeping a running sum needs, while it steps over those ticks,
 * the values leaving it, which the fill would overwrite: `record` first lets every such window
 * (a follower) catch up to the tick before, so a sum stepped late has exactly the bits of one
 * stepped every tick, and both evaluation modes log the same.
 *
 * Besides the values it remembers where the newest RECENT_RUNS runs (stretches of equal values)
 * began: whether a window is a single run (it then holds still) and the few distinct values of a
 * steady window are read from there without scanning the window.
 */
export class SeriesBuffer {
  /**
   * Numeric state in a typed array behind accessors: V8 allocates a heap number when a double
   * lands in an object field, and this runs every tick. [last tick recorded, first tick ever
   * recorded (windows never reach before it), runs ever begun, last tick with a known value, the
   * last tick's slot in `values`, the newest run's slot in `recent`]. The two slots follow from
   * the last tick and the run count; they are kept so that the tick path never divides.
   */
  private readonly n = new Float64Array([-1, -1, 0, -1, 0, 0]);

  get lastTick(): number {
    return this.n[0] as number;
  }

  get origin(): number {
    return this.n[1] as number;
  }

  /** Runs begun since the first record: run r began at `recent[r % RECENT_RUNS]`, for the newest RECENT_RUNS of them. */
  get runs(): number {
    return this.n[2] as number;
  }

  /** The last tick whose value is known (not NaN), or -1. */
  get lastKnown(): number {
    return this.n[3] as number;
  }

  /** The newest run's slot in `recent` (the slot before it holds the run before, and so on). */
  get newestRun(): number {
    return this.n[5] as number;
  }

  /** The last tick's slot in `values` (its tick modulo `capacity`). */
  get lastSlot(): number {
    return this.n[4] as number;
  }

  /** Where the newest run began (the run holding the last tick recorded); -1 when empty. */
  get runStart(): number {
    return (this.n[2] as number) > 0 ? (this.recent[this.n[5] as number] as number) : -1;
  }

  readonly values: Float64Array;
  /** Where `record` puts its value for recordFrom. */
  private readonly scratch = new Float64Array(1);
  /** Start ticks of the newest RECENT_RUNS runs, by run number modulo RECENT_RUNS. */
  readonly recent = new Float64Array(RECENT_RUNS);
  /** Windows keeping a running total over this series (WindowSumOp), caught up before a fill. */
  private readonly followers: SeriesFollower[] = [];
  /** The newest snapshot whose values are not copied out yet. */
  private frozen: FrozenSeries | undefined;
  /** The newest snapshot taken (copied out or not). */
  private lastSnapshot: FrozenSeries | undefined;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  /** Registers a window that keeps a running total over this series (see `record`). */
  follow(f: SeriesFollower): void {
    this.followers.push(f);
  }

  /** The oldest tick still stored (-1 when empty). */
  get firstStored(): number {
    const last = this.n[0] as number;
    const origin = this.n[1] as number;
    return origin < 0 ? -1 : Math.max(origin, last - this.capacity + 1);
  }

  /**
   * Where the run holding `tick` began, if that run is among the newest RECENT_RUNS; otherwise
   * the oldest start remembered, which is later than the true one (callers only ask whether the
   * run began at or before some tick, and a later answer only makes them do the exact work).
   */
  runStartAt(tick: number): number {
    const runs = this.n[2] as number;
    if (runs <= 0) return -1;
    const oldest = Math.max(0, runs - RECENT_RUNS);
    let r = runs - 1;
    while (r > oldest && (this.recent[ringSlot(r, RECENT_RUNS)] as number) > tick) r--;
    return this.recent[ringSlot(r, RECENT_RUNS)] as number;
  }

  /** Records the value at `tick` (tests and load time; the tick path uses recordFrom). */
  record(tick: number, value: number): void {
    this.scratch[0] = value;
    this.recordFrom(tick, this.scratch, 0);
  }

  /**
   * Records `from[at]` at `tick`. Idempotent within a tick (several windows share a buffer). The
   * value is read here, from the caller's array, never passed as an argument: a double passed to
   * a call V8 does not inline is boxed (a heap number every tick). Ticks skipped since the last
   * record held the last value: followers catch up over them first, then they are filled in (at
   * most `capacity` of them: older ones would be overwritten anyway).
   */
  recordFrom(tick: number, from: Float64Array, at: number): void {
    const n = this.n;
    const last = n[0] as number;
    if (tick === last) return;
    if (tick < last || (n[1] as number) < 0) {
      this.start(tick, from, at);
      return;
    }
    const value = from[at] ?? NaN;
    const followers = this.followers;
    // A single follower is updated on every tick its buffer is recorded (the same program does
    // both), so only a gap can leave it behind; several may run on different ticks.
    if (tick > last + 1 || followers.length > 1) {
      for (let i = 0; i < followers.length; i++) (followers[i] as SeriesFollower).catchUp(tick - 1);
    }
    const values = this.values;
    const cap = this.capacity;
    const lastSlot = n[4] as number;
    const held = values[lastSlot] as number;
    // Slots advance one per tick from the last one (no division on the common path).
    let slot: number;
    if (tick === last + 1) {
      slot = lastSlot + 1 === cap ? 0 : lastSlot + 1;
      this.frozen?.keep(tick - cap, values[slot] as number);
    } else {
      const from = Math.max(last + 1, tick - cap + 1);
      if (from > last + 1) this.frozen?.materialize();
      slot = ringSlot(from, cap);
      if (this.frozen === undefined) {
        // The skipped ticks, in at most two stretches of the ring.
        const end = slot + (tick - from);
        if (end <= cap) values.fill(held, slot, end);
        else {
          values.fill(held, slot, cap);
          values.fill(held, 0, end - cap);
        }
        slot = end >= cap ? end - cap : end;
      } else {
        for (let j = from; j < tick; j++) {
          // About to overwrite stored ticks a pending snapshot still reads: it keeps a copy of each.
          this.frozen.keep(j - cap, values[slot] as number);
          values[slot] = held;
          slot = slot + 1 === cap ? 0 : slot + 1;
        }
        this.frozen.keep(tick - cap, values[slot] as number);
      }
    }
    values[slot] = value;
    n[4] = slot;
    if (!sameNumber(held, value)) {
      const at = (n[5] as number) + 1 === RECENT_RUNS ? 0 : (n[5] as number) + 1;
      this.recent[at] = tick;
      n[5] = at;
      n[2] = (n[2] as number) + 1;
    }
    if (value === value) n[3] = tick;
    else if (held === held && tick > last + 1) n[3] = tick - 1;
    n[0] = tick;
  }

  /** The first record (or one going back in time, which starts the series afresh). */
  private start(tick: number, from: Float64Array, at: number): void {
    const value = from[at] ?? NaN;
    this.reset();
    const n = this.n;
    n[0] = tick;
    n[1] = tick;
    n[2] = 1;
    n[3] = value === value ? tick : -1;
    n[4] = ringSlot(tick, this.capacity);
    n[5] = 0;
    this.recent[0] = tick;
    this.values[n[4] as number] = value;
  }

  /**
   * The stored values, oldest first, as a lazy snapshot: nothing is copied on the tick. The values
   * are copied out when the snapshot is serialized (its `toJSON`, called by the checkpoint writer
   * between ticks) or, at the latest, value by value just before a later `record` overwrites one
   * of them. A checkpoint writes them as raw bytes. NaN (unknown) stays NaN.
   */
  snapshot(): unknown {
    // Several windows share a buffer: within one engine snapshot they all get the same object
    // (nothing changed in between), which the checkpoint writes once.
    const last = this.lastSnapshot;
    if (last !== undefined && last.usable && last.lastTick === this.lastTick && last.origin === this.origin && last.runs === this.runs) return last;
    this.frozen?.materialize();
    this.frozen = new FrozenSeries(this, this.firstStored, this.lastTick, this.origin, this.runs, this.recentStarts(), this.lastKnown);
    this.lastSnapshot = this.frozen;
    return this.frozen;
  }

  /** The remembered run starts, oldest first (a typed array: a checkpoint writes it as bytes). */
  private recentStarts(): Float64Array {
    const runs = this.runs;
    const from = Math.max(0, runs - RECENT_RUNS);
    const out = new Float64Array(runs - from);
    for (let r = from; r < runs; r++) out[r - from] = this.recent[ringSlot(r, RECENT_RUNS)] as number;
    return out;
  }

  /** @internal Called by a FrozenSeries once it holds its own copy. */
  release(f: FrozenSeries): void {
    if (this.frozen === f) this.frozen = undefined;
  }

  /**
   * Takes a {@link snapshot} (typed arrays, or JSON arrays with null for NaN). Also takes the run
   * form earlier versions wrote (`count`, `starts`, `values` per run), expanded tick by tick.
   */
  restore(state: unknown): void {
    const s = asRecord(state instanceof FrozenSeries ? state.toJSON() : state);
    this.frozen?.materialize();
    this.lastSnapshot = undefined;
    if (s['starts'] !== undefined) {
      this.restoreRuns(s);
      return;
    }
    const values = s['values'];
    const recent = s['recent'];
    const lastTick = Number(s['lastTick']);
    const origin = Number(s['origin']);
    const runs = Number(s['runs']);
    if (!isNumberList(values) || !isNumberList(recent) || values.length > this.capacity || recent.length > RECENT_RUNS || recent.length > runs || !Number.isInteger(lastTick) || !Number.isInteger(origin)) {
      throw new Error('series snapshot is malformed');
    }
    if (origin < 0 || values.length === 0) {
      this.reset();
      return;
    }
    const n = this.n;
    n[0] = lastTick;
    n[1] = origin;
    n[2] = runs;
    n[5] = runs > 0 ? ringSlot(runs - 1, RECENT_RUNS) : 0;
    const from = lastTick - values.length + 1;
    // Stored ticks the snapshot has no value for (it should have) were not known.
    for (let j = this.firstStored; j < from; j++) this.values[j % this.capacity] = NaN;
    let lastKnown = -1;
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      const x = v === null ? NaN : Number(v);
      this.values[(from + i) % this.capacity] = x;
      if (x === x) lastKnown = from + i;
    }
    const known = s['lastKnown'];
    n[3] = typeof known === 'number' ? known : lastKnown;
    n[4] = ringSlot(lastTick, this.capacity);
    for (let i = 0; i < recent.length; i++) this.recent[(runs - recent.length + i) % RECENT_RUNS] = Number(recent[i]);
  }

  /** The run form of earlier versions: each run's value over its ticks, the newest `capacity` ticks. */
  private restoreRuns(s: Record<string, unknown>): void {
    const starts = s['starts'];
    const values = s['values'];
    if (!isNumberList(starts) || !isNumberList(values) || starts.length !== values.length) throw new Error('series snapshot is malformed');
    this.reset();
    const count = Number(s['count']);
    const lastTick = Number(s['lastTick']);
    const origin = Number(s['origin']);
    if (starts.length === 0 || origin < 0) return;
    const from = Math.max(Number(starts[0]), lastTick - this.capacity + 1);
    const n = this.n;
    n[0] = lastTick;
    n[1] = origin;
    n[2] = count;
    n[5] = count > 0 ? ringSlot(count - 1, RECENT_RUNS) : 0;
    let lastKnown = -1;
    for (let r = 0; r < starts.length; r++) {
      const start = Number(starts[r]);
      const end = r + 1 < starts.length ? Number(starts[r + 1]) - 1 : lastTick;
      const v: unknown = values[r];
      const x = v === null ? NaN : Number(v);
      for (let j = Math.max(start, from); j <= end; j++) this.values[j % this.capacity] = x;
      if (x === x && end >= from) lastKnown = end;
      this.recent[(count - starts.length + r) % RECENT_RUNS] = start;
    }
    n[3] = lastKnown;
    n[4] = ringSlot(lastTick, this.capacity);
  }

  reset(): void {
    this.frozen?.materialize();
    this.lastSnapshot = undefined;
    this.n[0] = -1;
    this.n[1] = -1;
    this.n[2] = 0;
    this.n[3] = -1;
    this.n[4] = 0;
    this.n[5] = 0;
  }
}

function isNumberList(v: unknown): v is ArrayLike<number | null> {
  return Array.isArray(v) || v instanceof Float64Array;
}

/** Plain form of a series snapshot. */
export interface SeriesState {
  readonly lastTick: number;
  readonly origin: number;
  /** Runs begun since the first record. */
  readonly runs: number;
  /** Start ticks of the newest runs (at most RECENT_RUNS), oldest first. */
  readonly recent: Float64Array;
  readonly lastKnown: number;
  /** The stored ticks' values, oldest first, up to `lastTick`. */
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
 * A series snapshot whose values still live in the buffer (copy on write, see
 * SeriesBuffer.snapshot): values the buffer overwrites meanwhile are kept aside, one at a time.
 * JSON.stringify sees its plain form (a copy); the checkpoint writer reads it in place.
 */
export class FrozenSeries {
  private copy: SeriesState | undefined;
  /** Frozen values the buffer has overwritten since: ticks `from`, `from + 1`, ... in order. */
  private readonly lost: number[] = [];
  private pendingSources = 0;
  /** What toCheckpoint returned: a buffer shared by several windows is written once. */
  private placeholder: unknown;
  private placeholderFor: ((source: BlobSource) => unknown) | undefined;

  constructor(
    private buffer: SeriesBuffer | undefined,
    /** The oldest stored tick (-1: empty). */
    readonly from: number,
    readonly lastTick: number,
    readonly origin: number,
    readonly runs: number,
    readonly recent: Float64Array,
    readonly lastKnown: number,
  ) {}

  /** Values frozen: ticks from..lastTick. */
  private get length(): number {
    return this.from < 0 ? 0 : this.lastTick - this.from + 1;
  }

  /** @internal The buffer is about to overwrite the value of `tick` (overwrites come in tick order). */
  keep(tick: number, value: number): void {
    if (tick === this.from + this.lost.length && tick <= this.lastTick && this.from >= 0) this.lost.push(value);
  }

  /** Copies the values out (once); the buffer then goes its own way. */
  materialize(): SeriesState {
    if (this.copy === undefined) {
      if (this.buffer === undefined) throw new Error('series snapshot already written to a checkpoint in place: take a new snapshot');
      const values = new Float64Array(this.length);
      this.read(values);
      this.copy = { lastTick: this.lastTick, origin: this.origin, runs: this.runs, recent: this.recent, lastKnown: this.lastKnown, values };
      this.detach();
    }
    return this.copy;
  }

  /** Plain JSON: a copy; inside {@link withCheckpointBlobs}: the checkpoint form, read in place. */
  toJSON(): unknown {
    return checkpointBlobs === undefined ? this.materialize() : this.toCheckpoint(checkpointBlobs);
  }

  /**
   * The snapshot for a checkpoint: its values as a blob source (registered with `addBlob`, which
   * returns the placeholder to write), read in place when the writer copies them.
   */
  toCheckpoint(addBlob: (source: BlobSource) => unknown): unknown {
    // Met again in the same checkpoint (a shared buffer): the same blob.
    if (this.placeholder !== undefined && this.placeholderFor === addBlob) return this.placeholder;
    if (!this.usable) throw new Error('series snapshot already written to a checkpoint in place: take a new snapshot');
    this.placeholderFor = addBlob;
    this.placeholder = this.checkpointForm(addBlob);
    return this.placeholder;
  }

  /** Whether its values can still be read (not yet written out in place by a checkpoint). */
  get usable(): boolean {
    return this.copy !== undefined || this.buffer !== undefined;
  }

  private checkpointForm(addBlob: (source: BlobSource) => unknown): unknown {
    const head = { lastTick: this.lastTick, origin: this.origin, runs: this.runs, recent: addBlob(typedSource(this.recent)), lastKnown: this.lastKnown };
    if (this.copy !== undefined || this.buffer === undefined) return { ...head, values: addBlob(typedSource(this.materialize().values)) };
    const n = this.length;
    this.pendingSources++;
    const source: BlobSource = {
      type: 'Float64Array',
      byteLength: n * 8,
      copyTo: (into, at) => {
        const view = new Float64Array(into.buffer, into.byteOffset + at, n);
        if (this.copy !== undefined) view.set(this.copy.values);
        else this.read(view);
        if (--this.pendingSources === 0 && this.copy === undefined) this.detach();
      },
    };
    return { ...head, values: addBlob(source) };
  }

  /** Ticks from..lastTick, oldest first: the kept ones, then the ones still in the ring. */
  private read(into: Float64Array): void {
    const lost = this.lost;
    for (let i = 0; i < lost.length; i++) into[i] = lost[i] as number;
    const b = this.buffer as SeriesBuffer;
    const ring = b.values;
    const cap = b.capacity;
    const first = this.from + lost.length;
    const n = this.lastTick - first + 1;
    if (n <= 0) return;
    const at = first % cap;
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
