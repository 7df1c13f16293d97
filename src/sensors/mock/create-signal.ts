import type { SignalModel } from '../../config/model.js';
import { ConstantSignal } from './constant-signal.js';
import { CsvSignal } from './csv-signal.js';
import { PathsSignal } from './paths-signal.js';
import { seedFor } from './prng.js';
import { RandomWalkSignal } from './random-walk-signal.js';
import type { Signal } from './signal.js';
import { SineSignal } from './sine-signal.js';
import { SquareSignal } from './square-signal.js';
import { StepsSignal } from './steps-signal.js';

/** What a signal may need beyond its model. */
export interface SignalOptions {
  /** The run's `--seed`. */
  readonly seed: number;
  /** Seeds this sensor's own PRNG, so sensors never share or perturb a random sequence. */
  readonly sensorId: string;
  /** Directory relative paths (a `csv` file) are resolved against: the config file's directory. */
  readonly baseDir: string;
}

/**
 * Builds the signal a mock sensor (or a sensor's `sim.signal`) describes. A `csv` signal reads its
 * file here, once.
 *
 * @throws Error with a readable message for an invalid model (such as `paths` waypoints out of time
 *   order) or an unreadable/invalid CSV file; the caller reports it as a config error at the
 *   signal's position.
 */
export function createSignal(spec: SignalModel, opts: SignalOptions): Signal {
  switch (spec.kind) {
    case 'constant':
      return new ConstantSignal(spec.value);
    case 'steps':
      return new StepsSignal(spec.steps);
    case 'sine':
      return new SineSignal(spec.mean, spec.amplitude, spec.periodUs, spec.phaseUs);
    case 'square':
      return new SquareSignal(spec.low, spec.high, spec.periodUs, spec.duty);
    case 'random_walk':
      return new RandomWalkSignal(spec.start, spec.step, spec.min, spec.max, seedFor(opts.seed, opts.sensorId));
    case 'csv':
      return new CsvSignal(spec.path, spec.timeColumn, spec.valueColumn, opts.baseDir);
    case 'paths':
      return new PathsSignal(spec.paths);
  }
}
