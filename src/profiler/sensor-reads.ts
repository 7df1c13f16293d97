import { ReadStatus } from '../core/frame.js';
import { DurationHistogram, type DurationSummary } from './histograms.js';

/** How one sensor read ended. */
export type ReadOutcome = 'ok' | 'timeout' | 'error';

/** One sensor's reads in a profile. */
export interface SensorReadSummary {
  readonly index: number;
  /** Reads timed (live); null when reads were not timed one by one (sim). */
  readonly reads: number | null;
  readonly latency: DurationSummary | null;
  readonly timeouts: number;
  /** Failed reads and readings that were not readings (garbage). */
  readonly errors: number;
}

/** Any byte of a 32-bit word above 1, i.e. a status other than None (0) or Ok (1); as an int32. */
const FAILURE_BYTES = 0xfefefefe | 0;

/**
 * Per sensor: read latency (live, one histogram per sensor, created on its first read), timeouts
 * and errors. In simulation the counts come from each tick's Frame (`watch`, `countWatched`),
 * since mock reads are not I/O worth timing one by one.
 */
export class SensorReads {
  readonly timeouts: Float64Array;
  readonly errors: Float64Array;
  private readonly reads: Float64Array;
  private readonly latency: Array<DurationHistogram | undefined>;
  private status: Uint8Array = new Uint8Array(0);
  private words: Int32Array = new Int32Array(0);
  private tail = 0;

  constructor(readonly count: number) {
    this.timeouts = new Float64Array(count);
    this.errors = new Float64Array(count);
    this.reads = new Float64Array(count);
    this.latency = new Array<DurationHistogram | undefined>(count).fill(undefined);
  }

  /** One read of sensor `index` took `us` and ended as `outcome` (a live loop's read). */
  recordRead(index: number, us: number, outcome: ReadOutcome): void {
    if (index < 0 || index >= this.count) return;
    let h = this.latency[index];
    if (h === undefined) this.latency[index] = h = new DurationHistogram();
    h.recordUs(us);
    this.reads[index] = (this.reads[index] ?? 0) + 1;
    if (outcome === 'timeout') this.timeouts[index] = (this.timeouts[index] ?? 0) + 1;
    else if (outcome === 'error') this.errors[index] = (this.errors[index] ?? 0) + 1;
  }

  /**
   * Binds the read statuses (ReadStatus per sensor) of the Frame a simulation reuses every tick,
   * for `countWatched`.
   */
  watch(status: Uint8Array): void {
    this.status = status;
    // A Frame's status array owns its buffer from offset 0; any other is scanned byte by byte.
    // Int32, not Uint32: its words stay small integers to V8, so the test compiles to one AND.
    this.words = status.byteOffset % 4 === 0 ? new Int32Array(status.buffer, status.byteOffset, status.length >> 2) : new Int32Array(0);
    this.tail = this.words.length * 4;
  }

  /**
   * Counts the failures in the watched statuses as they are now (after a tick's reads). Runs
   * every tick, so it tests four statuses at a time and looks at single bytes only in words that
   * hold a failure, and in the last few.
   */
  countWatched(): void {
    const words = this.words;
    const status = this.status;
    for (let w = 0; w < words.length; w++) {
      if (((words[w] as number) & FAILURE_BYTES) === 0) continue;
      for (let i = w * 4; i < w * 4 + 4; i++) this.countStatus(i, status[i] as number);
    }
    for (let i = this.tail; i < status.length; i++) this.countStatus(i, status[i] as number);
  }

  summaries(): SensorReadSummary[] {
    const out: SensorReadSummary[] = [];
    for (let i = 0; i < this.count; i++) {
      const h = this.latency[i];
      out.push({
        index: i,
        reads: h === undefined ? null : (this.reads[i] ?? 0),
        latency: h === undefined ? null : h.summary(),
        timeouts: this.timeouts[i] ?? 0,
        errors: this.errors[i] ?? 0,
      });
    }
    return out;
  }

  private countStatus(i: number, s: number): void {
    if (s === ReadStatus.Timeout) this.timeouts[i] = (this.timeouts[i] ?? 0) + 1;
    else if (s === ReadStatus.Error || s === ReadStatus.Garbage) this.errors[i] = (this.errors[i] ?? 0) + 1;
  }
}
