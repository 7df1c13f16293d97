import type { Signal } from './signal.js';
import { Prng } from './prng.js';

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
  private value: number;
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
    this.value = start;
  }

  valueAt(): number {
    if (!this.started) {
      this.started = true;
      return this.value;
    }
    const next = this.value + this.step * (2 * this.rng.next() - 1);
    this.value = Math.min(this.max, Math.max(this.min, next));
    return this.value;
  }

  snapshot(): RandomWalkState {
    return { rng: this.rng.snapshot(), value: this.value, started: this.started };
  }

  restore(state: unknown): void {
    const s = state as Partial<RandomWalkState> | null;
    if (typeof s !== 'object' || s === null || typeof s.value !== 'number' || typeof s.started !== 'boolean') {
      throw new Error('invalid random_walk snapshot');
    }
    this.rng.restore(s.rng);
    this.value = s.value;
    this.started = s.started;
  }
}
