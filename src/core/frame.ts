/**
 * One tick's sensor input: what each sensor read (or failed to read) this tick. This is what the
 * sampler produces, what the journal records and what `step` consumes, so it is all the
 * evaluation core ever learns from the outside world.
 *
 * Preallocated once per runtime and reused every tick: the tick allocates nothing.
 */
export const ReadStatus = {
  /** Not read this tick (not due, or a push sensor with nothing new). */
  None: 0,
  Ok: 1,
  Timeout: 2,
  Error: 3,
  /** The read returned something that is not a reading (NaN, wrong type). */
  Garbage: 4,
} as const;
export type ReadStatus = (typeof ReadStatus)[keyof typeof ReadStatus];

export class Frame {
  /** ReadStatus per sensor index. */
  readonly status: Uint8Array;
  /** Numeric readings (booleans as 1/0), valid when status is Ok and the sensor is numeric. */
  readonly num: Float64Array;
  /** String and JSON readings, valid when status is Ok and the sensor is not numeric. */
  readonly obj: unknown[];
  /** Failure detail per sensor, when status is Error or Garbage. */
  readonly error: Array<string | undefined>;

  constructor(readonly size: number) {
    this.status = new Uint8Array(size);
    this.num = new Float64Array(size);
    this.obj = new Array<unknown>(size).fill(undefined);
    this.error = new Array<string | undefined>(size).fill(undefined);
  }

  clear(): void {
    this.status.fill(ReadStatus.None);
  }
}
