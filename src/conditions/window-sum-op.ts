import { RECENT_RUNS, ringSlot, type SeriesBuffer, type SeriesFollower } from './series-buffer.js';
import { asRecord, num, type TemporalOp } from './temporal-op.js';

export type SumKind = 'sum' | 'avg' | 'count';

/**
 * Relative margin of WindowSumOp.dueToCross, and the most ticks it skips. Polling reaches each
 * skipped tick's sum from this tick's by one rounded step per tick (2^-53 of the magnitude each):
 * over at most MAX_SKIP steps that is 1.1e-10 of the magnitude, well inside the margin.
 */
const CROSSING_MARGIN = 1e-9;
const MAX_SKIP = 1_000_000;

/**
 * sum / avg / count over a window of ticks (SPEC §4.3: the ticks with t_k - D < t_j <= t_k;
 * unknown samples skipped; no known sample gives unknown). count(e, D) is the sum of a boolean
 * series, whose values are 1, 0 or unknown.
 *
 * The running sum is stepped tick by tick (O(1) per tick: the sample leaving, the sample
 * arriving) and re-anchored to the exact `v * n` whenever the window holds a single run. Its bits
 * depend on the path, so it is always stepped over every tick: a window evaluated late (event
 * mode) catches up over the ticks it slept through, and its buffer makes it catch up before it
 * overwrites a value the steps still need (SeriesBuffer.record). Polling and event-driven
 * evaluation hold the same bits.
 */
export class WindowSumOp implements TemporalOp, SeriesFollower {

  /**
   * Numeric state in a typed array: V8 allocates a heap number when a double lands in an object
   * field, and this runs every tick. [last tick stepped to, known samples in the window, where
   * the run holding that tick began (or any tick from there up to the window's start then), tick
   * of the last update].
   */
  private readonly n = new Float64Array([-1, 0, -1, -1]);

  private get lastTick(): number {
    return this.n[0] as number;
  }

  private get known(): number {
    return this.n[1] as number;
  }

  /**
   * [running sum, last result]. Doubles live in a typed array: storing a double into an object
   * field makes V8 allocate a heap number on every store, and this runs every tick.
   */
  private readonly d = new Float64Array([0, NaN]);

  constructor(
    private readonly buffer: SeriesBuffer,
    private readonly windowTicks: number,
    private readonly kind: SumKind,
  ) {
    buffer.follow(this);
  }

  /** The result of the last `update`. */
  get value(): number {
    return this.d[1] as number;
  }

  /**
   * Writes `value` into `out[at]`: for a call site that meets several window kinds, where V8 may
   * not inline the `value` getter, and a double returned by a call that is not inlined is boxed.
   */
  writeTo(out: Float64Array, at: number): void {
    out[at] = this.d[1] as number;
  }

  /**
   * Call after `buffer.record(tick, x)`; the result is then in `value`. Idempotent within a tick:
   * nodes reading the same window share it (see Scope.windows), and a second update must not
   * recompute a sum the first one reached incrementally (the bits could differ).
   */
  update(tick: number): void {
    if (tick === this.n[3]) return;
    this.compute(tick);
    this.n[3] = tick;
  }

  /** `update`, returning the value (tests and load time). */
  eval(tick: number): number {
    this.update(tick);
    return this.value;
  }

  /** Writes the result (never returns a double: a big method's returned double is boxed). */
  private compute(tick: number): void {
    const last = this.n[0] as number;
    if (last < 0 || tick <= last || this.fellBehind(last)) this.recompute(tick);
    else this.stepTo(tick);
    const known = this.n[1] as number;
    if (known === 0) {
      this.d[1] = NaN;
      return;
    }
    const sum = this.d[0] as number;
    this.d[1] = this.kind === 'avg' ? sum / known : sum;
  }

  /** SeriesFollower: steps to `tick` before the buffer overwrites what the steps need. */
  catchUp(tick: number): void {
    const last = this.n[0] as number;
    if (last < 0 || last >= tick) return;
    if (this.fellBehind(last)) this.recompute(tick);
    else this.stepTo(tick);
  }

  /**
   * Whether the samples that leave the window after `last` are no longer stored: never, as the
   * buffer catches its followers up, unless state was restored apart from its buffer's. Such a
   * sum is recomputed, not stepped over values that are gone.
   */
  private fellBehind(last: number): boolean {
    const b = this.buffer;
    const out = last + 1 - this.windowTicks;
    return out >= b.origin && out < b.firstStored;
  }

  private windowStart(tick: number): number {
    return Math.max(this.buffer.origin, tick - this.windowTicks + 1);
  }

  /**
   * Steps the sum tick by tick from the last tick stepped to `tick`: each step drops the sample
   * leaving the window, adds the one arriving, and re-anchors to the exact sum where the window
   * is a single run. Ticks past the buffer's last record (a gap being caught up, see
   * SeriesBuffer.record) held its last value. A window that is a single run at `tick` is
   * recomputed there instead, as stepping would re-anchor it there anyway. State lives in locals
   * through the loop.
   */
  private stepTo(tick: number): void {
    const b = this.buffer;
    const n = this.n;
    const bLast = b.lastTick;
    const values = b.values;
    const cap = b.capacity;
    const held = values[b.lastSlot] as number;
    const origin = b.origin;
    const w = this.windowTicks;
    let j = (n[0] as number) + 1;
    if (tick > j) {
      // Single run at `tick`: the run holding it began at or before its window's start.
      const start = tick > bLast ? b.runStart : b.runStartAt(tick);
      const ws = Math.max(origin, tick - w + 1);
      if (start <= ws) {
        this.anchor(tick > bLast ? b.lastSlot : ringSlot(tick, cap), tick - ws + 1);
        n[0] = tick;
        n[2] = start;
        return;
      }
    }
    const d = this.d;
    let sum = d[0] as number;
    let known = n[1] as number;
    let runFrom = n[2] as number;
    // Slots of tick j and of the tick leaving at j (j - w, less than a ring behind), stepped along.
    // (Usually j is the last tick recorded, or the one after it when a gap is caught up.)
    const lastSlot = b.lastSlot;
    let at = j === bLast ? lastSlot : j === bLast + 1 ? (lastSlot + 1 === cap ? 0 : lastSlot + 1) : ringSlot(j, cap);
    let outAt = at - w < 0 ? at - w + cap : at - w;
    let prev = j - 1 > bLast ? held : (values[at === 0 ? cap - 1 : at - 1] as number);
    // Recorded ticks (usually this tick alone).
    const recorded = tick < bLast ? tick : bLast;
    for (; j <= recorded; j++) {
      const ws = Math.max(origin, j - w + 1);
      if (j - w >= origin) {
        const x = values[outAt] as number;
        if (x === x) {
          sum = sum - x;
          known--;
        }
      }
      const v = values[at] as number;
      if (v === v) {
        sum = sum + v;
        known++;
      }
      if (v !== prev && (v === v || prev === prev)) runFrom = j;
      prev = v;
      if (runFrom <= ws) {
        if (v === v) {
          sum = v * (j - ws + 1);
          known = j - ws + 1;
        } else {
          sum = 0;
          known = 0;
        }
      }
      at = at + 1 === cap ? 0 : at + 1;
      outAt = outAt + 1 === cap ? 0 : outAt + 1;
    }
    if (j <= tick) {
      // A gap being caught up (SeriesBuffer.record): each tick held the last value, so the run
      // goes on and, as the window is not a single run at `tick` (see above), no step re-anchors
      // it; what leaves was recorded (the window reaches back before the run began). The same
      // two rounded operations per tick as above, in a tighter loop.
      const heldKnown = held === held;
      for (; j <= tick; j++) {
        if (j - w >= origin) {
          const x = values[outAt] as number;
          if (x === x) {
            sum = sum - x;
            known--;
          }
        }
        if (heldKnown) {
          sum = sum + held;
          known++;
        }
        outAt = outAt + 1 === cap ? 0 : outAt + 1;
      }
    }
    d[0] = sum;
    n[1] = known;
    n[2] = runFrom;
    n[0] = tick;
  }

  /**
   * The exact sum of a window holding `count` samples of the value in the buffer's `slot` (NaN:
   * none known). The slot, not the value, is passed: a double argument to a call V8 does not
   * inline is boxed.
   */
  private anchor(slot: number, count: number): void {
    const v = this.buffer.values[slot] as number;
    if (v === v) {
      this.d[0] = v * count;
      this.n[1] = count;
    } else {
      this.d[0] = 0;
      this.n[1] = 0;
    }
  }

  /**
   * The sum from the stored samples, in tick order (ticks past the last record held its value);
   * a single run is exactly v * n.
   */
  private recompute(tick: number): void {
    const b = this.buffer;
    const values = b.values;
    const cap = b.capacity;
    const bLast = b.lastTick;
    const held = values[b.lastSlot] as number;
    const ws = this.windowStart(tick);
    let sum = 0;
    let known = 0;
    let runFrom = ws;
    let at = ringSlot(ws, cap);
    let prev = ws > bLast ? held : (values[at] as number);
    for (let j = ws; j <= tick; j++) {
      const v = j > bLast ? held : (values[at] as number);
      if (v !== prev && (v === v || prev === prev)) runFrom = j;
      prev = v;
      if (v === v) {
        sum += v;
        known++;
      }
      at = at + 1 === cap ? 0 : at + 1;
    }
    const n = this.n;
    n[0] = tick;
    n[2] = runFrom;
    if (runFrom <= ws) this.anchor(tick > bLast ? b.lastSlot : ringSlot(tick, cap), tick - ws + 1);
    else {
      this.d[0] = sum;
      n[1] = known;
    }
  }

  nextDue(tick: number): number {
    const b = this.buffer;
    const ws = this.windowStart(tick);
    const single = b.runStart <= ws;
    if (!single) return tick + 1;
    if (this.known === 0) return Infinity;
    // sum and count still grow while the window fills up from the first recorded tick, and avg
    // (v * n / n) may round differently for each n (0.1 * 3 / 3 !== 0.1).
    return tick - this.windowTicks + 1 >= b.origin ? Infinity : tick + 1;
  }

  /**
   * nextDue for a node that only compares this window with a constant `threshold` (`avg(x, 1min)
   * > 30`): the first tick at which the comparison could change. While the node sleeps its series
   * repeats its current value `c` (a change would wake it), so the window's future is known: at
   * each tick `c` arrives and the oldest sample leaves, run by run from the window's front. Over
   * a run of value `x` the sum moves by `c - x` a tick, in a straight line, so the tick at which
   * it could come within a margin of the threshold is found run by run (O(runs), at most
   * RECENT_RUNS of them, read at their starts from SeriesBuffer.recent). The margin, far above
   * the rounding of the steps polling takes meanwhile (2^-53 of the magnitude each, at most
   * MAX_SKIP of them: 2.2e-10 of it), keeps the answer safe. It never reaches past the tick the
   * window becomes a single run, where polling re-anchors the sum. A filling window, unknown
   * samples, or more runs than the buffer remembers (a series that keeps changing, whose node
   * will be woken anyway) fall back to nextDue (every tick).
   */
  dueToCross(tick: number, threshold: number): number {
    const b = this.buffer;
    const n = this.n;
    const w = this.windowTicks;
    const origin = b.origin;
    const from = tick - w + 1;
    const ws = from > origin ? from : origin;
    // nextDue, inline (this runs on every evaluation of such a node).
    const newestStart = b.runStart;
    if (newestStart <= ws) {
      if (n[1] === 0) return Infinity;
      return from >= origin ? Infinity : tick + 1;
    }
    const due = tick + 1;
    const known = n[1] as number;
    if (from < origin || n[0] !== tick || b.lastTick !== tick || known !== w || !(threshold === threshold)) return due;
    const recent = b.recent;
    const newest = b.newestRun;
    // The oldest remembered run: run 0 (slot 0) until the ring is full, then the slot after the newest.
    const oldest = b.runs < RECENT_RUNS ? 0 : newest + 1 === RECENT_RUNS ? 0 : newest + 1;
    if ((recent[oldest] as number) > ws) return due;
    let front = newest;
    while ((recent[front] as number) > ws) front = front === 0 ? RECENT_RUNS - 1 : front - 1;
    const values = b.values;
    const cap = b.capacity;
    const lastSlot = b.lastSlot;
    const c = values[lastSlot] as number;
    const sum = this.d[0] as number;
    const target = this.kind === 'avg' ? threshold * known : threshold;
    // First pass: every leaving value known, and how far the sum could move at most (the margin's scale).
    let moves = 0;
    for (let r = front; r !== newest; r = r + 1 === RECENT_RUNS ? 0 : r + 1) {
      const first = Math.max(recent[r] as number, ws);
      const next = r + 1 === RECENT_RUNS ? 0 : r + 1;
      const back = tick - first;
      const x = values[lastSlot >= back ? lastSlot - back : lastSlot - back + cap] as number;
      if (!(x === x)) return due;
      moves += Math.abs(c - x) * ((recent[next] as number) - first);
    }
    const margin = CROSSING_MARGIN * (Math.abs(sum) + Math.abs(target) + moves);
    const above = sum > target;
    let gap = (above ? sum - target : target - sum) - margin;
    if (!(gap > 0)) return due;
    // Second pass: run by run, the first step whose sum could be within the margin.
    let steps = 0;
    let found = Infinity;
    for (let r = front; r !== newest; r = r + 1 === RECENT_RUNS ? 0 : r + 1) {
      const first = Math.max(recent[r] as number, ws);
      const next = r + 1 === RECENT_RUNS ? 0 : r + 1;
      const len = (recent[next] as number) - first;
      const back = tick - first;
      const x = values[lastSlot >= back ? lastSlot - back : lastSlot - back + cap] as number;
      // How far a step of this run moves the sum toward the threshold (negative: away).
      const toward = above ? x - c : c - x;
      if (toward > 0 && gap <= toward * len) {
        found = steps + Math.max(1, Math.ceil(gap / toward));
        break;
      }
      gap -= toward * len;
      steps += len;
    }
    // Not past the tick the window becomes one run again, where polling re-anchors the sum to
    // the exact c * n (after the last old sample leaves, nothing moves it any more).
    const anchor = newestStart + w - 1;
    return Math.min(tick + Math.min(found, MAX_SKIP), anchor > tick ? anchor : tick + 1);
  }

  snapshot(): unknown {
    return { lastTick: this.lastTick, runFrom: this.n[2] as number, sum: this.d[0] as number, known: this.known, series: this.buffer.snapshot() };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    // Several windows may share one series: each restores the same state, which is harmless.
    if (s['series'] !== undefined) this.buffer.restore(s['series']);
    const n = this.n;
    n[0] = num(s, 'lastTick');
    n[1] = num(s, 'known');
    this.d[0] = num(s, 'sum');
    // Earlier versions kept no run start: the buffer knows it (or a later tick, which is safe).
    n[2] = s['runFrom'] === undefined ? this.buffer.runStartAt(n[0] as number) : num(s, 'runFrom');
    n[3] = -1;
  }

  reset(): void {
    this.n[0] = -1;
    this.n[1] = 0;
    this.n[2] = -1;
    this.n[3] = -1;
    this.d[0] = 0;
  }
}
