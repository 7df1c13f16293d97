import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import type { FaultModel, SignalModel, SignalSpec } from './model.js';
import { duration, json, listOf, num, oneOf, str } from './readers.js';
import { def, oneKey, readObject, req, type Reader, type Shape, type Values } from './schema.js';
import { type At, child, describe, entries, isEmpty, posOf, report, valueAt } from './yaml-source.js';

/** The signal kinds a mock sensor (or `sim: {signal: ...}`) may use; `signal:` holds exactly one. */
export const SIGNAL_KINDS = ['constant', 'steps', 'sine', 'square', 'random_walk', 'csv'] as const;

const number = num();

/** `sine: {...}` — mean + amplitude * sin(2π (t + phase) / period). */
export const SINE_SHAPE = {
  mean: req(number, 'Centre value.'),
  amplitude: req(num({ min: 0 }), 'Peak deviation from the mean.'),
  period: req(duration({ positive: true }), 'Length of one cycle.'),
  phase: def(duration(), 0, 'Time shift of the wave. Default 0.'),
} satisfies Shape;

/** `square: {...}` — `high` for the first `duty` fraction of each period, `low` for the rest. */
export const SQUARE_SHAPE = {
  low: req(number, 'Value in the low part of the period.'),
  high: req(number, 'Value in the high part of the period.'),
  period: req(duration({ positive: true }), 'Length of one cycle.'),
  duty: def(num({ above: 0, below: 1 }), 0.5, 'Fraction of the period spent high, 0 < duty < 1. Default 0.5.'),
} satisfies Shape;

/** `random_walk: {...}` — moves by up to ±step per sample, kept within [min, max]; seeded by `--seed`. */
export const RANDOM_WALK_SHAPE = {
  start: req(number, 'First value; min <= start <= max.'),
  step: req(num({ min: 0 }), 'Largest change per sample.'),
  min: req(number, 'Lower bound.'),
  max: req(number, 'Upper bound.'),
} satisfies Shape;

/** `csv: {...}` — a recording; the file is checked at load time and stored as an absolute path. */
export const CSV_SHAPE = {
  path: req(str({ nonEmpty: true }), 'CSV file with a header row, relative to the config file.'),
  time_column: req(str({ nonEmpty: true }), 'Column holding the time (seconds or a duration).'),
  value_column: req(str({ nonEmpty: true }), 'Column holding the value.'),
} satisfies Shape;

/** One item of `faults:` — the sensor fails from `at` for `for`. */
export const FAULT_SHAPE = {
  at: req(duration(), 'When the fault starts (time since the run began).'),
  for: req(duration({ positive: true }), 'How long it lasts.'),
  mode: req(oneOf(['timeout', 'error', 'nan'] as const), 'How the read fails: timeout, error or nan.'),
} satisfies Shape;

/** `faults: [{at, for, mode}, ...]`. */
export const faults: Reader<FaultModel[]> = listOf((at) => {
  const v = readObject(at, FAULT_SHAPE);
  return v === undefined ? undefined : { atUs: v.at, forUs: v.for, mode: v.mode };
});

type Scalar = number | boolean | string;

const scalar: Reader<Scalar> = (at) => {
  const v = isScalar(at.node) ? at.node.value : undefined;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  report(at, 'SPATIA_CONFIG_TYPE', `expected a number, boolean or string, got ${describe(at)}`);
  return undefined;
};

/**
 * Rows `[t, ...]` whose first item is a time (a duration or seconds) and whose times strictly
 * increase; `rest` reads the remaining `width - 1` items.
 */
function timed<T>(width: number, rest: (items: At[]) => T | undefined, shape: string): Reader<Array<[number, T]>> {
  const time = duration();
  return (at) => {
    if (!isSeq(at.node)) {
      report(at, 'SPATIA_CONFIG_TYPE', `expected a list of ${shape}, got ${describe(at)}`);
      return undefined;
    }
    const rows: Array<[number, T]> = [];
    let ok = true;
    let lastUs = -1;
    at.node.items.forEach((node, i) => {
      const row = child(at, node, i);
      const cells = isSeq(row.node) ? row.node.items.map((c, j) => child(row, c, j)) : [];
      const [first] = cells;
      if (first === undefined || cells.length !== width) {
        report(row, 'SPATIA_CONFIG_TYPE', `expected ${shape}, got ${describe(row)}`);
        ok = false;
        return;
      }
      const tUs = time(first);
      const value = rest(cells.slice(1));
      if (tUs === undefined || value === undefined) {
        ok = false;
        return;
      }
      if (tUs <= lastUs) {
        report(first, 'SPATIA_CONFIG_VALUE', 'times must strictly increase');
        ok = false;
      }
      lastUs = Math.max(lastUs, tUs);
      rows.push([tUs, value]);
    });
    if (ok && rows.length === 0) {
      report(at, 'SPATIA_CONFIG_VALUE', `needs at least one ${shape}`);
      return undefined;
    }
    return ok ? rows : undefined;
  };
}

// A step's value is a scalar, or any JSON value for a json sensor (a grid, a record).
const steps = timed(2, ([v]) => (v === undefined ? undefined : isScalar(v.node) ? scalar(v) : json(v)), '[t, value]');

const pathPoints = timed(
  3,
  ([x, y]) => {
    const px = x === undefined ? undefined : number(x);
    const py = y === undefined ? undefined : number(y);
    return px === undefined || py === undefined ? undefined : ([px, py] as const);
  },
  '[t, x, y]',
);

/** `paths: {ID: [[t, x, y], ...]}` — entity tracks for the sim, linearly interpolated. */
export const paths: Reader<Record<string, Array<readonly [number, number, number]>>> = (at) => {
  const list = entries(at, 'a map of entity ids to [[t, x, y], ...]');
  if (list === undefined) return undefined;
  const out: Record<string, Array<readonly [number, number, number]>> = {};
  let ok = true;
  for (const e of list) {
    const rows = pathPoints(e.value);
    if (rows === undefined) ok = false;
    else out[e.key] = rows.map(([t, [x, y]]) => [t, x, y] as const);
  }
  return ok ? out : undefined;
};

function readShape<S extends Shape, R>(shape: S, build: (v: Values<S>, at: At) => R | undefined): Reader<R> {
  return (at) => {
    const v = readObject(at, shape);
    return v === undefined ? undefined : build(v, at);
  };
}

const SIGNAL_READERS: Readonly<Record<(typeof SIGNAL_KINDS)[number], Reader<SignalModel>>> = {
  constant: (at) => {
    const value = json(at);
    return value === undefined ? undefined : { kind: 'constant', value };
  },
  steps: (at) => {
    const rows = steps(at);
    return rows === undefined ? undefined : { kind: 'steps', steps: rows };
  },
  sine: readShape(SINE_SHAPE, (v) => ({ kind: 'sine', mean: v.mean, amplitude: v.amplitude, periodUs: v.period, phaseUs: v.phase })),
  square: readShape(SQUARE_SHAPE, (v) => ({ kind: 'square', low: v.low, high: v.high, periodUs: v.period, duty: v.duty })),
  random_walk: readShape(RANDOM_WALK_SHAPE, (v, at) => {
    if (v.min <= v.start && v.start <= v.max) return { kind: 'random_walk', ...v };
    report(at, 'SPATIA_CONFIG_VALUE', `needs min <= start <= max, got min ${v.min}, start ${v.start}, max ${v.max}`);
    return undefined;
  }),
  csv: readShape(CSV_SHAPE, (v, at) => {
    const file = resolve(at.src.baseDir, v.path);
    if (!existsSync(file) || !statSync(file).isFile()) {
      report(valueAt(at, 'path') ?? at, 'SPATIA_CONFIG_FILE', `CSV file not found: ${file}`);
      return undefined;
    }
    return { kind: 'csv', path: file, timeColumn: v.time_column, valueColumn: v.value_column };
  }),
};

/** `signal: {KIND: ...}` — exactly one of {@link SIGNAL_KINDS}. */
export const signal: Reader<SignalModel> = (at) => {
  const e = oneKey(at, SIGNAL_KINDS, 'signal');
  if (e === undefined) return undefined;
  const kind = SIGNAL_KINDS.find((k) => k === e.key);
  if (kind === undefined) return undefined;
  if (isEmpty(e.value)) {
    report(e.keyAt, 'SPATIA_CONFIG_MISSING', `"${kind}" needs a value`);
    return undefined;
  }
  return SIGNAL_READERS[kind](e.value);
};

/** `sim: {signal, faults}` on a hardware sensor: what `spatia sim` plays instead of the device. */
export const SIM_SHAPE = {
  signal: req(signal, 'The simulated signal.'),
  faults: def(faults, [], 'Simulated read failures.'),
} satisfies Shape;

/** `sim: {paths, faults}` on an entities sensor. */
export const ENTITIES_SIM_SHAPE = {
  paths: req(paths, 'Entity tracks: {ID: [[t, x, y], ...]}, linearly interpolated.'),
  faults: def(faults, [], 'Simulated read failures.'),
} satisfies Shape;

/** Reads `sim:` of a hardware sensor. */
export const simSpec: Reader<SignalSpec> = (at) => {
  const v = readObject(at, SIM_SHAPE);
  return v === undefined ? undefined : { signal: v.signal, faults: v.faults, pos: posOf(at) };
};

/** Reads `sim:` of an entities sensor as a `paths` signal. */
export const entitiesSimSpec: Reader<SignalSpec> = (at) => {
  const v = readObject(at, ENTITIES_SIM_SHAPE);
  if (v === undefined) return undefined;
  return { signal: { kind: 'paths', paths: v.paths }, faults: v.faults, pos: posOf(at) };
};
