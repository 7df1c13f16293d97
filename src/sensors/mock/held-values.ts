import type { JsonValue } from '../../config/model.js';
import { type Frame, ReadStatus } from '../../core/frame.js';
import { holdIndex } from './hold-index.js';
import { type SampleTime, sampleTime } from './sample-time.js';

/** Kinds of a row's value. */
const NUMBER = 0;
const BOOLEAN = 1;
const OTHER = 2;

/**
 * The values of a hold signal (`steps`, `csv`): each holds from its time (inclusive) until the
 * next one's, `NaN` (no reading) before the first. Stateless: a binary search per lookup.
 *
 * Stored in columns: numbers and booleans (as 1/0) in a Float64Array, anything else in an array,
 * and a kind per row. V8 keeps a plain array of numbers as raw doubles and boxes one afresh on
 * every read that returns it: 16 B per `steps` sensor per tick.
 */
export class HeldValues {
  private readonly nums: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly others: JsonValue[];

  /** `timesUs` sorted (non-decreasing), one per value; the caller has checked both. */
  constructor(
    private readonly timesUs: Float64Array,
    values: readonly JsonValue[],
  ) {
    this.nums = new Float64Array(values.length);
    this.kinds = new Uint8Array(values.length); // NUMBER unless set below
    this.others = new Array<JsonValue>(values.length).fill(null);
    values.forEach((v, i) => {
      if (typeof v === 'number') {
        this.nums[i] = v;
      } else if (typeof v === 'boolean') {
        this.nums[i] = v ? 1 : 0;
        this.kinds[i] = BOOLEAN;
      } else {
        this.others[i] = v;
        this.kinds[i] = OTHER;
      }
    });
  }

  valueAt(tUs: number): JsonValue {
    const i = holdIndex(this.timesUs, sampleTime(tUs));
    if (i < 0) return NaN;
    const kind = this.kinds[i];
    if (kind === NUMBER) return this.nums[i] as number;
    if (kind === BOOLEAN) return this.nums[i] === 1;
    return this.others[i] as JsonValue;
  }

  /** {@link Signal.writeTo} for the value held at `tUs`. */
  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    const i = holdIndex(this.timesUs, at);
    if (i < 0) return ReadStatus.None;
    if (this.kinds[i] === OTHER) {
      frame.obj[index] = this.others[i];
      return ReadStatus.Ok;
    }
    const v = this.nums[i] as number;
    if (Number.isNaN(v)) return ReadStatus.None; // a csv gap
    frame.num[index] = v;
    return ReadStatus.Ok;
  }
}
