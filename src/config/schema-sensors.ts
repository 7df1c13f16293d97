import type { LoadContext } from './load-context.js';
import type { SensorKind, SensorModel, SignalModel, ValueType } from './model.js';
import { duration, id, listOf, numbers, oneOf, str, unit } from './readers.js';
import { def, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { filters } from './schema-filters.js';
import { KIND_SHAPES, readSensorKind, SENSOR_KINDS } from './schema-sensor-kinds.js';
import { type At, type Entry, keyAt, posOf, report, scalarValue, valueAt } from './yaml-source.js';

type Location = readonly [number, number] | readonly [number, number, number];

const location: Reader<Location> = (at) => {
  const v = numbers(2, 3)(at);
  if (v === undefined) return undefined;
  const [x = 0, y = 0, z] = v;
  return z === undefined ? [x, y] : [x, y, z];
};

/** The keys every sensor has; each kind adds its own (see `schema-sensor-kinds.ts`). */
export const SENSOR_SHAPE = {
  id: req(id, 'The sensor id, used by expressions.'),
  kind: req(oneOf(SENSOR_KINDS), 'gpio | i2c | serial | mqtt | mock | entities.'),
  type: opt(
    oneOf(['number', 'boolean', 'string', 'json'] as const),
    'Value type. Default: boolean for gpio, json for entities, number otherwise.',
  ),
  quantity: opt(str({ nonEmpty: true }), 'What it measures (temperature, humidity, ...), used by zone aggregates.'),
  unit: opt(unit, 'Unit of a number sensor (degC, ppm, m/s, ...).'),
  location: opt(location, 'Position [x, y] or [x, y, z] in metres; zone membership is derived from it.'),
  sample_every: opt(duration({ positive: true }), 'Read period. Default: every tick.'),
  timeout: opt(duration({ positive: true }), 'A read slower than this fails for its tick.'),
  stale_after: opt(duration({ positive: true }), 'How long the last good value is held before it becomes unknown. Default: 3 sample periods; push sensors (mqtt, serial, gpio edges) without sample_every: held until a new value.'),
  filters: def(filters, [], 'Filters applied in order to each good numeric reading.'),
} satisfies Shape;

/** The kinds whose shapes have `key`, for "this key belongs to another kind" messages. */
function ownersOf(key: string): SensorKind[] {
  return SENSOR_KINDS.filter((k) => key in KIND_SHAPES[k]);
}

/**
 * Reports a key that belongs to another kind of sensor with a message naming that kind; returns
 * false for a key no kind knows (reported as a plain unknown key).
 */
function foreignKey(e: Entry, kind: SensorKind | undefined): boolean {
  const owners = ownersOf(e.key);
  if (owners.length === 0) return false;
  // With an invalid kind, which keys belong is unknowable; the kind itself is reported.
  if (kind === undefined) return true;
  const hint =
    kind === 'mock' && e.key === 'sim'
      ? '; a mock sensor takes signal and faults directly'
      : owners.includes('mock') && (e.key === 'signal' || e.key === 'faults')
        ? `; write sim: {${e.key}: ...}`
        : '';
  report(e.keyAt, 'SPATIA_CONFIG_UNKNOWN_KEY', `key "${e.key}" is for ${owners.join(', ')} sensors, not ${kind}${hint}`);
  return true;
}

const DEFAULT_TYPE: Readonly<Record<SensorKind, ValueType>> = {
  gpio: 'boolean',
  i2c: 'number',
  serial: 'number',
  mqtt: 'number',
  mock: 'number',
  entities: 'json',
};

/** The type of each value a signal produces; undefined when only the file knows (csv). */
function signalValueTypes(s: SignalModel): string[] | undefined {
  switch (s.kind) {
    case 'constant':
      return [typeof s.value === 'object' ? 'json' : typeof s.value];
    case 'steps':
      return s.steps.map(([, v]) => (typeof v === 'object' ? 'json' : typeof v));
    case 'csv':
      return undefined;
    case 'paths':
      return ['json'];
    default:
      return ['number'];
  }
}

/** Whether a sensor of type `t` can take a value of JS type `js` (0/1 drive boolean sensors). */
function fits(t: ValueType, js: string): boolean {
  return t === 'json' || js === t || (t === 'boolean' && js === 'number');
}

/** Reads one item of `sensors:`. */
export function readSensor(ctx: LoadContext): Reader<SensorModel> {
  return (at) => {
    const kindAt = valueAt(at, 'kind');
    const kind = SENSOR_KINDS.find((k) => kindAt !== undefined && k === scalarValue(kindAt));
    const common = readObject(at, SENSOR_SHAPE, {
      also: kind === undefined ? [] : Object.keys(KIND_SHAPES[kind]),
      other: (e) => foreignKey(e, kind),
    });
    const own = kind === undefined ? undefined : readSensorKind(at, kind, ctx);
    if (common === undefined || own === undefined) return undefined;
    const valueType = common.type ?? DEFAULT_TYPE[common.kind];
    let ok = true;
    if (common.unit !== undefined && valueType !== 'number') {
      ok = typeMismatch(at, 'unit', `unit only applies to number sensors (this one is ${valueType})`);
    }
    if (common.filters.length > 0 && valueType !== 'number') {
      ok = typeMismatch(at, 'filters', `filters only apply to number sensors (this one is ${valueType})`);
    }
    const bad = own.sim && signalValueTypes(own.sim.signal)?.find((js) => !fits(valueType, js));
    if (own.sim !== undefined && bad !== undefined) {
      const fix = common.type === undefined && bad !== 'json' ? ` (write type: ${bad})` : '';
      const message = `this ${own.sim.signal.kind} signal gives ${bad} values, but the sensor's type is ${valueType}${fix}`;
      at.src.issues.error('SPATIA_CONFIG_VALUE', own.sim.pos, message);
      ok = false;
    }
    if (!ok) return undefined;
    return {
      id: common.id,
      kind: common.kind,
      valueType,
      quantity: common.quantity,
      unit: common.unit === '' ? undefined : common.unit,
      location: common.location,
      sampleEveryUs: common.sample_every,
      timeoutUs: common.timeout,
      staleAfterUs: common.stale_after,
      filters: common.filters,
      sim: own.sim,
      hardware: own.hardware,
      pos: posOf(at),
    };
  };
}

function typeMismatch(at: At, key: string, message: string): false {
  report(valueAt(at, key) ?? keyAt(at, key) ?? at, 'SPATIA_CONFIG_VALUE', message);
  return false;
}

/** `sensors:` — a list of sensors. */
export function readSensors(ctx: LoadContext): Reader<SensorModel[]> {
  return listOf(readSensor(ctx), { what: 'a list of sensors' });
}
