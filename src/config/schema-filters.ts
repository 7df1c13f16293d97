import { isMap, isSeq } from 'yaml';
import type { FilterModel } from './model.js';
import { duration, int, listOf, num, numbers } from './readers.js';
import { def, oneKey, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { type At, describe, isEmpty, report, scalarValue } from './yaml-source.js';

/**
 * Sensor filters (`filters: [{moving_average: 10s}, {clamp: [-40, 85]}]`): a list of one-key maps,
 * applied in order to each good numeric reading.
 */
export const FILTER_KINDS = [
  'moving_average',
  'exponential_moving_average',
  'median',
  'clamp',
  'calibrate_linear',
  'delta',
  'throttle',
  'timeout',
] as const;
type FilterKind = (typeof FILTER_KINDS)[number];

const window = duration({ positive: true });
const samples = int({ min: 1 });

/** `{window: 10s}` or `{samples: 10}` for moving_average and median: exactly one of the two. */
export const WINDOW_SHAPE = {
  window: opt(window, 'Time window: the readings of the last `window`.'),
  samples: opt(samples, 'Count window: the last `samples` readings.'),
} satisfies Shape;

type Windowed = { windowUs: number | undefined; samples: number | undefined };

function windowMap(at: At): Windowed | undefined {
  const v = readObject(at, WINDOW_SHAPE);
  if (v === undefined) return undefined;
  if ((v.window === undefined) === (v.samples === undefined)) {
    report(at, 'SPATIA_CONFIG_VALUE', 'write exactly one of window (a duration) and samples (a count)');
    return undefined;
  }
  return { windowUs: v.window, samples: v.samples };
}

function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));
}

/** `moving_average: 10s | {window: 10s} | {samples: 10}`; a bare number is ambiguous. */
const movingAverage: Reader<Windowed> = (at) => {
  if (isMap(at.node)) return windowMap(at);
  const v = scalarValue(at);
  if (isNumeric(v)) {
    const n = String(v).trim();
    report(at, 'SPATIA_CONFIG_VALUE', `moving_average: ${n} is ambiguous; write ${n}s or {samples: ${n}}`);
    return undefined;
  }
  const us = window(at);
  return us === undefined ? undefined : { windowUs: us, samples: undefined };
};

/** `median: 5` (samples) | `10s` (window) | `{samples: 5}` | `{window: 10s}`. */
const median: Reader<Windowed> = (at) => {
  if (isMap(at.node)) return windowMap(at);
  if (typeof scalarValue(at) === 'number') {
    const n = samples(at);
    return n === undefined ? undefined : { windowUs: undefined, samples: n };
  }
  const us = window(at);
  return us === undefined ? undefined : { windowUs: us, samples: undefined };
};

const ALPHA = num({ above: 0, max: 1 });
const EMA_SHAPE = { alpha: req(ALPHA, 'Smoothing factor, 0 < alpha <= 1; larger follows faster.') } satisfies Shape;

const ema: Reader<number> = (at) => {
  if (!isMap(at.node)) return ALPHA(at);
  return readObject(at, EMA_SHAPE)?.alpha;
};

const clamp: Reader<{ min: number; max: number }> = (at) => {
  const v = numbers(2)(at);
  if (v === undefined) return undefined;
  const [min = 0, max = 0] = v;
  if (min <= max) return { min, max };
  report(at, 'SPATIA_CONFIG_VALUE', `clamp is [min, max] with min <= max, got [${min}, ${max}]`);
  return undefined;
};

/** `calibrate_linear: {slope, offset}` — actual = raw * slope + offset. */
export const LINEAR_SHAPE = {
  slope: def(num(), 1, 'Multiplier. Default 1.'),
  offset: def(num(), 0, 'Added after the multiplication. Default 0.'),
} satisfies Shape;

/** `{slope, offset}`, or `[[raw, actual], ...]` (>= 2 pairs) fitted by least squares. */
const calibrateLinear: Reader<{ slope: number; offset: number }> = (at) => {
  if (isMap(at.node)) return readObject(at, LINEAR_SHAPE);
  if (!isSeq(at.node)) {
    report(at, 'SPATIA_CONFIG_TYPE', `expected {slope, offset} or [[raw, actual], ...], got ${describe(at)}`);
    return undefined;
  }
  const pairs = listOf(numbers(2), { min: 2, what: 'a list of [raw, actual] pairs', items: 'pairs' })(at);
  if (pairs === undefined) return undefined;
  const fit = leastSquares(pairs.map(([x = 0, y = 0]) => [x, y] as const));
  if (fit !== undefined) return fit;
  report(at, 'SPATIA_CONFIG_VALUE', 'calibration pairs need at least two different raw values');
  return undefined;
};

/** The line y = slope * x + offset closest to the points; undefined when every x is equal. */
export function leastSquares(points: ReadonlyArray<readonly [number, number]>): { slope: number; offset: number } | undefined {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) * (x - mx);
    sxy += (x - mx) * (y - my);
  }
  if (sxx === 0) return undefined;
  const slope = sxy / sxx;
  return { slope, offset: my - slope * mx };
}

/** `timeout: {after, value}` — after `after` with no good reading, the value becomes `value`. */
export const TIMEOUT_SHAPE = {
  after: req(duration({ positive: true }), 'Time without a good reading.'),
  value: opt(num(), 'Value to take then; default: unknown.'),
} satisfies Shape;

const timeout: Reader<{ afterUs: number; value: number | undefined }> = (at) => {
  if (!isMap(at.node)) {
    const us = duration({ positive: true })(at);
    return us === undefined ? undefined : { afterUs: us, value: undefined };
  }
  const v = readObject(at, TIMEOUT_SHAPE);
  return v === undefined ? undefined : { afterUs: v.after, value: v.value };
};

const READERS: Readonly<Record<FilterKind, Reader<FilterModel>>> = {
  moving_average: (at) => then(movingAverage(at), (w) => ({ kind: 'moving_average', ...w })),
  exponential_moving_average: (at) => then(ema(at), (alpha) => ({ kind: 'exponential_moving_average', alpha })),
  median: (at) => then(median(at), (w) => ({ kind: 'median', ...w })),
  clamp: (at) => then(clamp(at), (c) => ({ kind: 'clamp', ...c })),
  calibrate_linear: (at) => then(calibrateLinear(at), (c) => ({ kind: 'calibrate_linear', ...c })),
  delta: (at) => then(num({ min: 0 })(at), (minChange) => ({ kind: 'delta', minChange })),
  throttle: (at) => then(duration({ positive: true })(at), (intervalUs) => ({ kind: 'throttle', intervalUs })),
  timeout: (at) => then(timeout(at), (t) => ({ kind: 'timeout', ...t })),
};

function then<T, R>(v: T | undefined, f: (v: T) => R): R | undefined {
  return v === undefined ? undefined : f(v);
}

/** One filter: a map with one key from {@link FILTER_KINDS}. */
export const filter: Reader<FilterModel> = (at) => {
  const e = oneKey(at, FILTER_KINDS, 'filter');
  const kind = FILTER_KINDS.find((k) => k === e?.key);
  if (e === undefined || kind === undefined) return undefined;
  if (isEmpty(e.value)) {
    report(e.keyAt, 'SPATIA_CONFIG_MISSING', `"${kind}" needs a value`);
    return undefined;
  }
  return READERS[kind](e.value);
};

/** `filters: [...]`. */
export const filters: Reader<FilterModel[]> = listOf(filter, { what: 'a list of filters' });

