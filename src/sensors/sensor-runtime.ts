import { Frame, ReadStatus } from '../core/frame.js';
import type { ErrorCode } from '../core/errors.js';
import type { EventRecord } from '../core/event-record.js';
import { asRecord, sameNumber } from '../conditions/temporal-op.js';
import type { Filter } from './filters/filter.js';

export type Health = 'never' | 'ok' | 'stale' | 'unknown';

/** Registered error codes of read failures, carried by `sensor` records. */
const READ_FAILURE_CODES: Readonly<Record<string, ErrorCode>> = {
  timeout: 'SPATIA_SENSOR_TIMEOUT',
  error: 'SPATIA_SENSOR_ERROR',
  garbage: 'SPATIA_SENSOR_GARBAGE',
};

/** The value slots a sensor writes into (shared with the rest of the evaluation core). */
export interface SensorSlots {
  readonly num: Float64Array;
  readonly ref: unknown[];
}

/**
 * One sensor inside the evaluation core: applies a tick's reading (or failure) to the sensor's
 * value, runs its filters, and tracks health (SPEC §4.2):
 * - unknown before the first good reading;
 * - after a failed read, the last good value is kept and `stale(s)` is true;
 * - once the last good reading is older than `stale_after`, the value becomes unknown.
 * Health changes become `sensor` records: `stale`, `unknown`, `recovered`.
 */
/**
 * In an engine's table of last good ticks (SensorRuntime.bindTable): the sensor has read good on
 * every tick since it took the engine's fast path, whose last tick is the table's last cell. The
 * fast path then writes nothing per sensor and tick.
 */
export const GOOD_ON_FAST_PATH = -2;

export class SensorRuntime {
  health: Health = 'never';
  /** The most recent read failed. */
  stale = false;
  private hasValue = false;
  /** Where lastGoodTick lives: its own cell until an engine moves it into its table (bindTable). */
  private goodTicks: Float64Array = Float64Array.of(-1);
  private goodAt = 0;

  constructor(
    readonly id: string,
    readonly index: number,
    readonly slot: number,
    readonly numeric: boolean,
    private readonly filters: readonly Filter[],
    /** A value older than this many ticks is unknown. */
    private readonly staleTicks: number,
    private readonly periodUs: number,
  ) {}

  /** The tick of the last good reading, or -1. */
  get lastGoodTick(): number {
    const t = this.goodTicks;
    const v = t[this.goodAt] as number;
    return v === GOOD_ON_FAST_PATH ? (t[t.length - 1] as number) : v;
  }

  set lastGoodTick(tick: number) {
    this.goodTicks[this.goodAt] = tick;
  }

  /**
   * Keeps lastGoodTick in `table[at]` from now on, where the engine marks it GOOD_ON_FAST_PATH
   * while it applies this sensor's readings itself (see {@link plainOk}), without touching this
   * object; the table's last cell is the engine's.
   */
  bindTable(table: Float64Array, at: number): void {
    if (at >= table.length - 1) throw new Error('bindTable: the last cell of the table is the fast path tick');
    table[at] = this.lastGoodTick;
    this.goodTicks = table;
    this.goodAt = at;
  }

  /**
   * True when a good reading would do nothing here but set lastGoodTick and the value: a numeric
   * sensor without filters, healthy, not stale, with a value. The engine then applies readings
   * itself, off typed arrays, until a reading is not good; `apply` is equivalent.
   */
  get plainOk(): boolean {
    return this.numeric && this.filters.length === 0 && this.health === 'ok' && !this.stale && this.hasValue;
  }

  /**
   * Applies this tick's reading. Returns true when the value or the stale flag changed, so the
   * engine can wake the nodes that read this sensor. Health records go to `out`.
   */
  apply(frame: Frame, tick: number, slots: SensorSlots, out: EventRecord[]): boolean {
    const status = frame.status[this.index] ?? ReadStatus.None;
    let changed = false;
    if (status === ReadStatus.Ok) {
      if (this.health === 'stale' || this.health === 'unknown')  out.push(this.record(tick, 'recovered', undefined, undefined));
      this.health = 'ok';
      this.lastGoodTick = tick;
      if (this.stale) {
        this.stale = false;
        changed = true;
      }
      if (this.numeric) {
        const raw = frame.num[this.index] ?? NaN;
        // Without filters, write the reading directly: returning a double through a helper
        // that is not inlined would box it, and the tick must not allocate.
        if (this.filters.length === 0) {
          if (raw === raw) this.hasValue = true;
          const old = slots.num[this.slot] as number;
          if (old !== raw && (old === old || raw === raw)) {
            slots.num[this.slot] = raw;
            changed = true;
          }
        } else {
          const v = this.filter(raw, this.timeUs(tick));
          if (v !== undefined) changed = this.setNum(slots, v) || changed;
        }
      } else {
        changed = this.setRef(slots, frame.obj[this.index]) || changed;
      }
    } else {
      if (status !== ReadStatus.None) {
        const reason = status === ReadStatus.Timeout ? 'timeout' : status === ReadStatus.Garbage ? 'garbage' : 'error';
        const error = frame.error[this.index];
        if (!this.stale) {
          this.stale = true;
          changed = true;
        }
        if (this.health === 'ok') {
          this.health = 'stale';
           out.push(this.record(tick, 'stale', reason, error));
        } else if (this.health === 'never') {
          this.health = 'unknown';
           out.push(this.record(tick, 'unknown', reason, error));
        }
      }
      if (this.numeric && this.filters.length > 0) {
        const v = this.idle(this.timeUs(tick));
        if (v !== undefined) changed = this.setNum(slots, v) || changed;
      }
    }
    if (this.hasValue && tick - this.lastGoodTick > this.staleTicks) {
      changed = (this.numeric ? this.setNum(slots, NaN) : this.setRef(slots, undefined)) || changed;
      this.hasValue = false;
      if (this.health !== 'unknown') {
        this.health = 'unknown';
         out.push(this.record(tick, 'unknown', 'stale_after', undefined));
      }
    }
    return changed;
  }

  private filter(raw: number, tUs: number): number | undefined {
    let v: number | undefined = raw;
    for (let i = 0; i < this.filters.length && v !== undefined; i++) v = (this.filters[i] as Filter).push(v, tUs);
    return v;
  }

  private idle(tUs: number): number | undefined {
    let v: number | undefined;
    for (let i = 0; i < this.filters.length; i++) {
      const f = this.filters[i] as Filter;
      v = v === undefined ? f.idle(tUs) : f.push(v, tUs);
    }
    return v;
  }

  private setNum(slots: SensorSlots, v: number): boolean {
    if (v === v) this.hasValue = true;
    if (sameNumber(slots.num[this.slot] ?? NaN, v)) return false;
    slots.num[this.slot] = v;
    return true;
  }

  private setRef(slots: SensorSlots, v: unknown): boolean {
    if (v !== undefined) this.hasValue = true;
    if (slots.ref[this.slot] === v) return false;
    slots.ref[this.slot] = v;
    return true;
  }

  /**
   * The tick's time in µs, computed only where it is needed (filters, records): it soon leaves
   * V8's small-integer range, and a double kept live across the tick path gets boxed.
   */
  private timeUs(tick: number): number {
    return Math.round(tick * this.periodUs);
  }

  private record(tick: number, status: string, reason: string | undefined, error: string | undefined): EventRecord {
    const r: EventRecord = { t: this.timeUs(tick) / 1e6, tick, type: 'sensor', id: this.id, status };
    if (reason !== undefined) r['reason'] = reason;
    const code = reason === undefined ? undefined : READ_FAILURE_CODES[reason];
    if (code !== undefined) r['code'] = code;
    if (error !== undefined) r['error'] = error;
    return r;
  }

  snapshot(): unknown {
    return {
      health: this.health,
      stale: this.stale,
      lastGoodTick: this.lastGoodTick,
      hasValue: this.hasValue,
      filters: this.filters.map((f) => f.snapshot()),
    };
  }

  restore(state: unknown): void {
    const s = asRecord(state);
    this.health = s['health'] as Health;
    this.stale = s['stale'] === true;
    this.lastGoodTick = Number(s['lastGoodTick']);
    this.hasValue = s['hasValue'] === true;
    const filters = s['filters'];
    if (Array.isArray(filters)) filters.forEach((f: unknown, i) => this.filters[i]?.restore(f));
  }
}
