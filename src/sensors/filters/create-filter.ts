import type { FilterModel } from '../../config/model.js';
import { CalibrateLinearFilter } from './calibrate-linear-filter.js';
import { ClampFilter } from './clamp-filter.js';
import { DeltaFilter } from './delta-filter.js';
import { ExponentialMovingAverageFilter } from './exponential-moving-average-filter.js';
import type { Filter } from './filter.js';
import { MedianFilter } from './median-filter.js';
import { MovingAverageFilter } from './moving-average-filter.js';
import { ThrottleFilter } from './throttle-filter.js';
import { TimeoutFilter } from './timeout-filter.js';

/**
 * A fresh filter for one sensor or pattern: filters hold per-series state, so each use gets its
 * own instance.
 *
 * @throws Error for parameters out of range (no window size, alpha outside (0, 1], min > max, a
 *   negative interval, ...); the caller reports it as a config error.
 */
export function createFilter(model: FilterModel): Filter {
  switch (model.kind) {
    case 'moving_average':
      return new MovingAverageFilter(model.samples, model.windowUs);
    case 'exponential_moving_average':
      return new ExponentialMovingAverageFilter(model.alpha);
    case 'median':
      return new MedianFilter(model.samples, model.windowUs);
    case 'clamp':
      return new ClampFilter(model.min, model.max);
    case 'calibrate_linear':
      return new CalibrateLinearFilter(model.slope, model.offset);
    case 'delta':
      return new DeltaFilter(model.minChange);
    case 'throttle':
      return new ThrottleFilter(model.intervalUs);
    case 'timeout':
      return new TimeoutFilter(model.afterUs, model.value);
  }
}
