import { type Frame, ReadStatus } from '../../core/frame.js';
import { Prng } from './prng.js';
import type { SampleTime } from './sample-time.js';
import type { Signal } from './signal.js';

/** Slots of {@link RandomWalkSignal}'s numeric state. */
const VALUE = 0;
const DRAW = 1;

/** What {@link RandomWalkSignal.snapshot} returns. */
export interface RandomWalkState {
  readonly rng: [number, number, number, number];
  readonly value: number;
  readonly started: boolean;
}

/**
 * `random_walk: {start, step, min, max}`: the first call returns `start`; each later call adds a
 * uniform step in [-step, +step) drawn from its own {@link Prng} and clamps to [min, max].
 *
 * It advances per call, not per unit of time: a sensor sampled less often walks more slowly, and a
 * call skipped (MockSource skips the signal during a fault) pauses the walk. `tUs` is ignored.
 *
 * @param seed the sensor's own seed, from `seedFor(globalSeed, sensorId)`.
 * @throws Error when min > max, step is negative or not finite, or start is outside [min, max].
 */
export class RandomWalkSignal implements Signal {
  private readonly rng: Prng;
  /**
   * The current value and the latest draw. A Float64Array rather than fields: a double written to
   * a field V8 has not typed as double is boxed anew on every write, and this runs every tick.
   */
  private readonly state = new Float64Array(2);
  private started = false;

  constructor(
    start: number,
    private readonly step: number,
    private readonly min: number,
    private readonly max: number,
    seed: number,
  ) {
    if (!(min <= max)) throw new Error(`random_walk min (${min}) must not exceed max (${max})`);
    if (!(step >= 0 && Number.isFinite(step))) throw new Error(`random_walk step must be a finite number >= 0, got ${step}`);
    if (!(start >= min && start <= max)) throw new Error(`random_walk start (${start}) must lie within [${min}, ${max}]`);
    this.rng = new Prng(seed);
    this.state[VALUE] = start;
  }

  valueAt(): number {
    this.advance();
    return this.state[VALUE] as number;
  }

  writeTo(_at: SampleTime, frame: Frame, index: number): ReadStatus {
    this.advance();
    frame.num[index] = this.state[VALUE] as number;
    return ReadStatus.Ok;
  }

  snapshot(): RandomWalkState {
    return { rng: this.rng.snapshot(), value: this.state[VALUE] as number, started: this.started };
  }

  restore(state: unknown): void {
    const s = state as Partial<RandomWalkState> | null;
    if (typeof s !== 'object' || s === null || typeof s.value !== 'number' || typeof s.started !== 'boolean') {
      throw new Error('invalid random_walk snapshot');
    }
    this.rng.restore(s.rng);
    this.state[VALUE] = s.value;
    this.started = s.started;
  }

  /** One call's step: the first call keeps `start`, later ones walk from the current value. */
  private advance(): void {
    if (!this.started) {
      this.started = true;
      return;
    }
    const st = this.state;
    this.rng.nextInto(st, DRAW);
    const next = (st[VALUE] as number) + this.step * (2 * (st[DRAW] as number) - 1);
    st[VALUE] = Math.min(this.max, Math.max(this.min, next));
  }
}
