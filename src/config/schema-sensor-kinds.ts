import type { LoadContext } from './load-context.js';
import type { SensorKind, SignalSpec } from './model.js';
import { bool, duration, int, oneOf, str, url } from './readers.js';
import { def, type ObjectOptions, opt, readObject, req, type Reader, type Shape, withArticle } from './schema.js';
import { checkMqttConnection, jsonPath, MQTT_SCHEMES, SENSOR_CONNECTION_SHAPE, topicFilter } from './schema-mqtt.js';
import { entitiesSimSpec, faults, signal, simSpec } from './schema-signals.js';
import { type At, describe, keyAt, posOf, report, scalarValue, valueAt } from './yaml-source.js';

/**
 * The keys each sensor kind adds to the common sensor keys. Their validated values go into
 * `SensorModel.hardware` under the key as written (snake_case), with defaults filled in, except
 * durations, which are stored in microseconds under the key plus `_us` (`debounce` ->
 * `debounce_us`). `sim`, `signal` and `faults` go into `SensorModel.sim` instead.
 */

/** The sensor kinds (`kind:`). */
export const SENSOR_KINDS = ['gpio', 'i2c', 'serial', 'mqtt', 'mock', 'entities'] as const;

/** Built-in I2C drivers: the readings (`field`) each offers and its usual address. */
export const I2C_DEVICES: Readonly<Record<string, { readonly fields: readonly string[]; readonly address: number }>> = {
  bme280: { fields: ['temperature', 'humidity', 'pressure'], address: 0x76 },
  sht31: { fields: ['temperature', 'humidity'], address: 0x44 },
  tmp102: { fields: ['temperature'], address: 0x48 },
  ads1115: { fields: ['voltage', 'raw'], address: 0x48 },
  bh1750: { fields: ['illuminance'], address: 0x23 },
};

const SIM = opt(simSpec, 'What `spatia sim` plays instead of the device: {signal, faults}.');

/** `kind: gpio` — a digital input line; its value is true/false (see `active_low`). */
export const GPIO_SHAPE = {
  pin: req(int({ min: 0, max: 1023 }), 'BCM line number (the line offset on the chip).'),
  chip: opt(str({ nonEmpty: true }), "Chip label or path. Default: the board's header chip."),
  edge: def(oneOf(['none', 'rising', 'falling', 'both'] as const), 'both', 'Edges that update the value; none polls.'),
  active_low: def(bool, false, 'Invert the line: a low level reads as true.'),
  debounce: opt(duration(), 'Ignore level changes shorter than this (stored as debounce_us).'),
  sim: SIM,
} satisfies Shape;

/** ADS1115 programmable gain settings; 2/3 may be written as `2/3` or as a decimal. */
const gain: Reader<number> = (at) => {
  const v = scalarValue(at);
  if (v === '2/3' || (typeof v === 'number' && Math.abs(v - 2 / 3) < 0.001)) return 2 / 3;
  if (typeof v === 'number' && [1, 2, 4, 8, 16].includes(v)) return v;
  report(at, 'SPATIA_CONFIG_VALUE', `gain must be one of 2/3, 1, 2, 4, 8, 16, got ${describe(at)}`);
  return undefined;
};

/** `kind: i2c` — a device on an I2C bus read through a built-in driver. */
export const I2C_SHAPE = {
  bus: req(int({ min: 0 }), 'I2C bus number (/dev/i2c-N).'),
  address: opt(int({ min: 0x03, max: 0x77 }), "7-bit device address. Default: the device's usual address."),
  device: req(oneOf(Object.keys(I2C_DEVICES)), 'Built-in driver: bme280, sht31, tmp102, ads1115 or bh1750.'),
  field: opt(str({ nonEmpty: true }), 'Which reading of the device. Required when it has several.'),
  channel: opt(int({ min: 0, max: 3 }), 'ads1115 only: input channel 0..3. Default 0.'),
  gain: opt(gain, 'ads1115 only: PGA gain 2/3, 1, 2, 4, 8 or 16 (full scale ±6.144 to ±0.256 V). Default 1 (±4.096 V).'),
  sim: SIM,
} satisfies Shape;

/** A JS regular expression with a named group `value`. */
const regex: Reader<string> = (at) => {
  const source = str({ nonEmpty: true })(at);
  if (source === undefined) return undefined;
  let groups: Record<string, unknown> | undefined;
  try {
    // The empty alternative always matches, and exec lists every named group of the pattern.
    groups = new RegExp(`${source}|`).exec('')?.groups;
  } catch (err) {
    report(at, 'SPATIA_CONFIG_VALUE', `invalid regular expression: ${(err as Error).message}`);
    return undefined;
  }
  if (groups !== undefined && 'value' in groups) return source;
  report(at, 'SPATIA_CONFIG_VALUE', 'the pattern needs a named group "value", such as (?<value>[0-9.]+)');
  return undefined;
};

/** The fields the nmea parser reads from GGA and RMC sentences. */
export const NMEA_FIELDS = ['latitude', 'longitude', 'altitude', 'fix_quality', 'satellites', 'hdop', 'speed_knots', 'speed', 'course'] as const;

const SILENCE_DOC = 'Data-silence watchdog: nothing received for this long means the device is gone; it is reopened. Default: stale_after, else 10s (at least 1s).';

/** `kind: serial` — lines from a serial port, parsed into readings. */
export const SERIAL_SHAPE = {
  path: req(str({ nonEmpty: true }), 'Device path such as /dev/ttyUSB0.'),
  baud: def(int({ min: 1 }), 9600, 'Baud rate. Default 9600.'),
  parser: def(oneOf(['line', 'json', 'nmea', 'regex'] as const), 'line', 'How a line becomes a reading.'),
  pattern: opt(regex, 'For parser regex (required there): a regex with a named group `value`.'),
  field: opt(str({ nonEmpty: true }), `For parser json: a dotted path. For nmea: one of ${NMEA_FIELDS.join(', ')} (without it, the whole fix as JSON).`),
  silence: opt(duration({ positive: true }), SILENCE_DOC),
  sim: SIM,
} satisfies Shape;

/** `kind: mqtt` — messages on a topic; the latest one before a tick is the reading. */
export const MQTT_SHAPE = {
  topic: req(topicFilter, 'Topic filter to subscribe to: `+` matches one level, `#` the rest (`site/+/temperature`, `site/#`).'),
  json_path: opt(
    jsonPath,
    'Where the value sits in a JSON payload: a dotted path such as `data.temp` or `data.0.value` (`$.data[0].value` works too). Default: the whole payload is the value.',
  ),
  url: opt(url(MQTT_SCHEMES), 'Broker URL. Default: outputs.mqtt.url.'),
  ...SENSOR_CONNECTION_SHAPE,
  sim: SIM,
} satisfies Shape;

/** `kind: mock` — a signal played in `run` and `sim` alike, for demos and tests. */
export const MOCK_SHAPE = {
  signal: req(signal, 'The signal this sensor plays, in `run` as in `sim`.'),
  faults: def(faults, [], 'Read failures: [{at, for, mode}].'),
} satisfies Shape;

/** `kind: entities` — moving things, as records `{id, x, y[, z]}`. */
export const ENTITIES_SHAPE = {
  source: opt(oneOf(['mqtt', 'serial', 'sim'] as const), 'Where records come from. Default: mqtt with topic, serial with path, else sim.'),
  topic: opt(topicFilter, 'For source mqtt: the topic filter of JSON records {id, x, y[, z]}.'),
  path: opt(str({ nonEmpty: true }), 'For source serial: the device path.'),
  url: opt(url(MQTT_SCHEMES), 'For source mqtt: broker URL. Default: outputs.mqtt.url.'),
  ...SENSOR_CONNECTION_SHAPE,
  baud: opt(int({ min: 1 }), 'For source serial: baud rate. Default 9600.'),
  silence: opt(duration({ positive: true }), `For source serial: ${SILENCE_DOC}`),
  sim: opt(entitiesSimSpec, 'Simulated tracks: {paths: {ID: [[t, x, y], ...]}, faults}.'),
} satisfies Shape;

/** The kind-specific shape of each sensor kind. */
export const KIND_SHAPES: Readonly<Record<SensorKind, Shape>> = {
  gpio: GPIO_SHAPE,
  i2c: I2C_SHAPE,
  serial: SERIAL_SHAPE,
  mqtt: MQTT_SHAPE,
  mock: MOCK_SHAPE,
  entities: ENTITIES_SHAPE,
};

/** What the kind-specific keys of one sensor give. */
export interface KindValues {
  readonly hardware: Record<string, unknown>;
  readonly sim: SignalSpec | undefined;
}

/** Copies the written hardware keys (not sim/signal/faults), renaming durations to `_us`. */
function hardwareOf(v: Record<string, unknown>, durations: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v)) {
    if (value === undefined || key === 'sim' || key === 'signal' || key === 'faults') continue;
    out[durations.includes(key) ? `${key}_us` : key] = value;
  }
  return out;
}

function fail(at: At, key: string, message: string): undefined {
  report(keyAt(at, key) ?? at, 'SPATIA_CONFIG_VALUE', message);
  return undefined;
}

function missing(at: At, message: string): undefined {
  report(at, 'SPATIA_CONFIG_MISSING', message);
  return undefined;
}

/** Reads and cross-checks the keys of a sensor of kind `kind`. */
export function readSensorKind(at: At, kind: SensorKind, ctx: LoadContext): KindValues | undefined {
  const opts: ObjectOptions = { other: () => true, context: `for ${withArticle(kind)} sensor` };
  switch (kind) {
    case 'gpio': {
      const v = readObject(at, GPIO_SHAPE, opts);
      return v && { hardware: hardwareOf(v, ['debounce']), sim: v.sim };
    }
    case 'i2c': {
      const v = readObject(at, I2C_SHAPE, opts);
      if (v === undefined) return undefined;
      const device = I2C_DEVICES[v.device];
      if (device === undefined) return undefined;
      if (v.device !== 'ads1115' && v.channel !== undefined) return fail(at, 'channel', 'channel only applies to device ads1115');
      if (v.device !== 'ads1115' && v.gain !== undefined) return fail(at, 'gain', 'gain only applies to device ads1115');
      const [only] = device.fields;
      const field = v.field ?? (device.fields.length === 1 ? only : undefined);
      const choices = device.fields.join(', ');
      if (field === undefined) return missing(at, `missing required key "field" for ${withArticle(v.device)} (one of ${choices})`);
      if (!device.fields.includes(field)) return fail(at, 'field', `${v.device} has no field "${field}" (one of ${choices})`);
      const channel = v.device === 'ads1115' ? (v.channel ?? 0) : undefined;
      const hardware = hardwareOf({ ...v, address: v.address ?? device.address, field, channel });
      return { hardware, sim: v.sim };
    }
    case 'serial': {
      const v = readObject(at, SERIAL_SHAPE, opts);
      if (v === undefined) return undefined;
      if (v.parser === 'regex' && v.pattern === undefined) return missing(at, 'missing required key "pattern" for parser regex');
      if (v.parser !== 'regex' && v.pattern !== undefined) return fail(at, 'pattern', 'pattern only applies to parser: regex');
      if (v.field !== undefined && v.parser !== 'json' && v.parser !== 'nmea') {
        return fail(at, 'field', 'field only applies to parser: json or nmea');
      }
      if (v.parser === 'nmea' && v.field !== undefined && !(NMEA_FIELDS as readonly string[]).includes(v.field)) {
        return fail(at, 'field', `nmea has no field "${v.field}" (one of ${NMEA_FIELDS.join(', ')})`);
      }
      return { hardware: hardwareOf(v, ['silence']), sim: v.sim };
    }
    case 'mqtt': {
      const v = readObject(at, MQTT_SHAPE, opts);
      if (v === undefined) return undefined;
      const brokerUrl = v.url ?? ctx.mqttUrl;
      if (brokerUrl === undefined) return missing(at, 'an mqtt sensor needs url (or outputs.mqtt.url)');
      const checked = checkMqttConnection(at, brokerUrl, v);
      return checked && { hardware: hardwareOf({ ...checked, url: brokerUrl }), sim: v.sim };
    }
    case 'mock': {
      const v = readObject(at, MOCK_SHAPE, opts);
      const signalAt = valueAt(at, 'signal') ?? at;
      return v && { hardware: {}, sim: { signal: v.signal, faults: v.faults, pos: posOf(signalAt) } };
    }
    case 'entities':
      return readEntities(at, ctx, opts);
  }
}

function readEntities(at: At, ctx: LoadContext, opts: ObjectOptions): KindValues | undefined {
  const v = readObject(at, ENTITIES_SHAPE, opts);
  if (v === undefined) return undefined;
  const source = v.source ?? (v.topic !== undefined ? 'mqtt' : v.path !== undefined ? 'serial' : 'sim');
  let hardware = hardwareOf({ ...v, source });
  if (source !== 'mqtt') {
    const stray = Object.keys(SENSOR_CONNECTION_SHAPE).find((k) => v[k as keyof typeof v] !== undefined);
    if (stray !== undefined) return fail(at, stray, `${stray} only applies to entities from mqtt`);
  }
  if (source === 'mqtt') {
    if (v.topic === undefined) return missing(at, 'missing required key "topic" for entities from mqtt');
    const brokerUrl = v.url ?? ctx.mqttUrl;
    if (brokerUrl === undefined) return missing(at, 'entities from mqtt need url (or outputs.mqtt.url)');
    const checked = checkMqttConnection(at, brokerUrl, v);
    if (checked === undefined) return undefined;
    hardware = hardwareOf({ ...checked, source, url: brokerUrl });
  } else if (source === 'serial') {
    if (v.path === undefined) return missing(at, 'missing required key "path" for entities from serial');
    hardware['baud'] = v.baud ?? 9600;
  } else if (v.sim === undefined) {
    return missing(at, 'entities from sim need sim: {paths: {ID: [[t, x, y], ...]}}');
  }
  return { hardware, sim: v.sim };
}
