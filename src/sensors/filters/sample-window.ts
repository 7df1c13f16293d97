/** What {@link SampleWindow.snapshot} returns: the held samples, oldest first. */
export interface SampleWindowState {
  readonly values: number[];
  readonly timesUs: number[];
}

const INITIAL_CAPACITY = 64;

/**
 * The recent samples a windowed filter (moving average, median) works on, in a circular buffer of
 * preallocated Float64Arrays. It keeps at most `samples` values (when given) and only values with
 * `tUs > now - windowUs` (when given); with both, both limits apply.
 *
 * A count-limited window never reallocates. A time-only window cannot know the sample rate in
 * advance: it starts at 64 slots and doubles when full, so it allocates only while warming up.
 */
export class SampleWindow {
  private values: Float64Array;
  private timesUs: Float64Array;
  /** Slot of the oldest sample. */
  private head = 0;
  private count = 0;

  /**
   * @param samples a whole number >= 1, or undefined.
   * @param windowUs a positive duration in microseconds, or undefined.
   * @throws Error when neither is given or one is out of range.
   */
  constructor(
    private readonly samples: number | undefined,
    private readonly windowUs: number | undefined,
  ) {
    if (samples === undefined && windowUs === undefined) throw new Error('a window needs samples or a duration');
    if (samples !== undefined && !(Number.isSafeInteger(samples) && samples >= 1)) {
      throw new Error(`window samples must be a whole number >= 1, got ${samples}`);
    }
    if (windowUs !== undefined && !(windowUs > 0 && Number.isFinite(windowUs))) {
      throw new Error(`window duration must be positive, got ${windowUs} us`);
    }
    const capacity = samples ?? INITIAL_CAPACITY;
    this.values = new Float64Array(capacity);
    this.timesUs = new Float64Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Slots currently allocated; at least `length`. */
  get capacity(): number {
    return this.values.length;
  }

  /** Adds a sample at `tUs` (non-decreasing) after dropping those it pushes out of the window. */
  push(value: number, tUs: number): void {
    if (this.windowUs !== undefined) {
      const oldestKeptAfterUs = tUs - this.windowUs;
      while (this.count > 0 && (this.timesUs[this.head] as number) <= oldestKeptAfterUs) this.dropOldest();
    }
    if (this.samples !== undefined && this.count === this.samples) this.dropOldest();
    if (this.count === this.values.length) this.grow(this.values.length * 2);
    const slot = (this.head + this.count) % this.values.length;
    this.values[slot] = value;
    this.timesUs[slot] = tUs;
    this.count++;
  }

  /** The i-th held value, oldest first (0 <= i < length). */
  at(i: number): number {
    return this.values[(this.head + i) % this.values.length] as number;
  }

  /** Sum oldest to newest: recomputed on every call so it never drifts and depends on content only. */
  sum(): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.at(i);
    return s;
  }

  /** Copies the values, oldest first, into `dst` (length >= this.length). */
  copyValuesInto(dst: Float64Array): void {
    for (let i = 0; i < this.count; i++) dst[i] = this.at(i);
  }

  snapshot(): SampleWindowState {
    const values: number[] = [];
    const timesUs: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.values.length;
      values.push(this.values[slot] as number);
      timesUs.push(this.timesUs[slot] as number);
    }
    return { values, timesUs };
  }

  restore(state: unknown): void {
    const s = state as Partial<SampleWindowState> | null;
    if (typeof s !== 'object' || s === null || !isNumberArray(s.values) || !isNumberArray(s.timesUs) || s.values.length !== s.timesUs.length) {
      throw new Error('invalid window snapshot: expected {values: number[], timesUs: number[]} of equal length');
    }
    const n = s.values.length;
    if (this.samples !== undefined && n > this.samples) throw new Error(`invalid window snapshot: ${n} samples, at most ${this.samples}`);
    if (this.samples === undefined) {
      let capacity = INITIAL_CAPACITY;
      while (capacity < n) capacity *= 2;
      this.values = new Float64Array(capacity);
      this.timesUs = new Float64Array(capacity);
    }
    this.values.set(s.values);
    this.timesUs.set(s.timesUs);
    this.head = 0;
    this.count = n;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.values.length;
    this.count--;
  }

  private grow(capacity: number): void {
    const values = new Float64Array(capacity);
    const timesUs = new Float64Array(capacity);
    for (let i = 0; i < this.count; i++) {
      const slot = (this.head + i) % this.values.length;
      values[i] = this.values[slot] as number;
      timesUs[i] = this.timesUs[slot] as number;
    }
    this.values = values;
    this.timesUs = timesUs;
    this.head = 0;
  }
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}
