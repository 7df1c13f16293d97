import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isSeq } from 'yaml';
import type { LoadContext } from './load-context.js';
import type { ActionModel, JsonValue } from './model.js';
import { bool, duration, int, json, listOf, oneOf, str, text, url } from './readers.js';
import { def, oneKey, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { type At, child, deref, describe, entries, isEmpty, posOf, report, scalarValue, valueAt, type YamlSource } from './yaml-source.js';

/** What a condition can do on an edge: each action is a map with one of these keys. */
export const ACTION_KINDS = ['log', 'mqtt', 'gpio', 'callback', 'http'] as const;
type ActionKind = (typeof ACTION_KINDS)[number];

/** `log: "text"` or `log: {message, level}`; `{expr}` in the message is filled in when it runs. */
export const LOG_SHAPE = {
  message: req(str(), 'The line to log; `{expression}` placeholders are filled in.'),
  level: def(oneOf(['info', 'warn', 'error'] as const), 'info', 'info | warn | error. Default info.'),
} satisfies Shape;

/** An MQTT topic to publish to: no wildcards. */
const publishTopic: Reader<string> = (at) => {
  const topic = str({ nonEmpty: true })(at);
  if (topic === undefined) return undefined;
  if (!/[+#]/.test(topic)) return topic;
  report(at, 'SPATIA_CONFIG_VALUE', `cannot publish to a wildcard topic "${topic}"`);
  return undefined;
};

const EMPTY_PAYLOAD: JsonValue = Object.freeze({}) as JsonValue;

/** `mqtt: {...}` — published through the durable outbox of `outputs.mqtt`. */
export const MQTT_ACTION_SHAPE = {
  topic: req(publishTopic, 'Topic to publish to.'),
  payload: def(json, EMPTY_PAYLOAD, 'Any JSON; strings may hold `{expression}` placeholders. Default {}.'),
  qos: def(oneOf([0, 1, 2] as const), 1, 'MQTT QoS 0, 1 or 2. Default 1.'),
  retain: def(bool, false, 'Publish as a retained message. Default false.'),
} satisfies Shape;

const pinValue: Reader<0 | 1> = (at) => {
  const v = scalarValue(at);
  if (v === 0 || v === false) return 0;
  if (v === 1 || v === true) return 1;
  report(at, 'SPATIA_CONFIG_VALUE', `expected 0, 1, true or false, got ${describe(at)}`);
  return undefined;
};

/** `gpio: {...}` — drives an output line. */
export const GPIO_ACTION_SHAPE = {
  pin: req(int({ min: 0, max: 1023 }), 'BCM line number.'),
  value: req(pinValue, 'Level to set: 0, 1, true or false.'),
  chip: opt(str({ nonEmpty: true }), "Chip label or path. Default: the board's header chip."),
  safe: opt(
    pinValue,
    'Level the pin is driven to at start (before any action) and on shutdown: 0, 1, true or false. ' +
      'One per pin: write it on one gpio action of the pin (or the same on each). Default 0.',
  ),
} satisfies Shape;

/** A gpio action as written, read without reporting (for the per-pin `safe` check). */
interface RawGpioAction {
  readonly at: At;
  readonly pin: unknown;
  readonly chip: unknown;
  readonly safe: 0 | 1 | undefined;
}

function rawPinValue(at: At | undefined): 0 | 1 | undefined {
  const v = at === undefined ? undefined : scalarValue(at);
  if (v === 0 || v === false) return 0;
  if (v === 1 || v === true) return 1;
  return undefined;
}

/** Every `gpio:` action map of the document, in document order, peeked at before validation. */
function rawGpioActions(src: YamlSource): RawGpioAction[] {
  const root: At = { src, node: deref(src, src.doc.contents), path: '' };
  const conditions = valueAt(root, 'conditions');
  if (conditions === undefined || !isSeq(conditions.node)) return [];
  const out: RawGpioAction[] = [];
  conditions.node.items.forEach((c, i) => {
    const condition = child(conditions, c, i);
    for (const list of [valueAt(condition, 'actions'), valueAt(condition, 'on_falling')]) {
      if (list === undefined || !isSeq(list.node)) continue;
      list.node.items.forEach((a, j) => {
        const gpio = valueAt(child(list, a, j), 'gpio');
        if (gpio === undefined || !isMap(gpio.node)) return;
        const pin = valueAt(gpio, 'pin');
        const chip = valueAt(gpio, 'chip');
        out.push({ at: gpio, pin: pin && scalarValue(pin), chip: chip && scalarValue(chip), safe: rawPinValue(valueAt(gpio, 'safe')) });
      });
    }
  });
  return out;
}

/** A gpio sensor reading `pin` (with `chip` written the same way), peeked at in the raw document. */
function sensorOnPin(src: YamlSource, pin: number, chip: string | undefined): At | undefined {
  const root: At = { src, node: deref(src, src.doc.contents), path: '' };
  const sensors = valueAt(root, 'sensors');
  if (sensors === undefined || !isSeq(sensors.node)) return undefined;
  return sensors.node.items
    .map((item, i) => child(sensors, item, i))
    .find((s) => {
      const [kind, p, c] = ['kind', 'pin', 'chip'].map((k) => valueAt(s, k)).map((v) => v && scalarValue(v));
      return kind === 'gpio' && p === pin && c === chip;
    });
}

/** A pin read by a gpio sensor cannot be driven too: opening it as an output would silence the input. */
function checkNotAnInput(gpio: At, pin: number, chip: string | undefined): boolean {
  const sensor = sensorOnPin(gpio.src, pin, chip);
  if (sensor === undefined) return true;
  const id = valueAt(sensor, 'id');
  const where = posOf(sensor);
  report(
    valueAt(gpio, 'pin') ?? gpio,
    'SPATIA_CONFIG_VALUE',
    `gpio ${chip === undefined ? `pin ${pin}` : `pin ${pin} of chip ${chip}`} is read by the gpio sensor ${JSON.stringify(id && scalarValue(id))} ` +
      `(${where.path}, line ${where.line}); a line is an input or an output, not both: drive another pin`,
  );
  return false;
}

/**
 * The `safe` level of a gpio action's pin. Several actions drive one pin (`actions` sets 1,
 * `on_falling` sets 0), and the pin has one level to return to: the one written on any of them,
 * else 0. Two different values for one pin (same `pin` and `chip` as written) are an error at the
 * later one. Checked here, by peeking at the raw document, because the actions of other
 * conditions are not read yet when this one is.
 */
function pinSafe(gpio: At, pin: number, chip: string | undefined, own: 0 | 1 | undefined): 0 | 1 | undefined {
  const first = rawGpioActions(gpio.src).find((a) => a.pin === pin && a.chip === chip && a.safe !== undefined);
  if (own === undefined) return first?.safe ?? 0;
  if (first === undefined || first.safe === own || first.at.node === gpio.node) return own;
  const where = posOf(valueAt(first.at, 'safe') ?? first.at);
  const pinName = chip === undefined ? `pin ${pin}` : `pin ${pin} of chip ${chip}`;
  report(
    valueAt(gpio, 'safe') ?? gpio,
    'SPATIA_CONFIG_VALUE',
    `gpio ${pinName} has safe: ${first.safe} at ${where.path} (line ${where.line}) and safe: ${own} here; ` +
      'a pin has one safe level (driven at start and on shutdown): write the same on every gpio action of the pin, or once',
  );
  return undefined;
}

/** `callback: {...}` — runs an exported function of a user module in a worker thread. */
export const CALLBACK_SHAPE = {
  module: req(str({ nonEmpty: true }), 'Module path (relative to the config file) or package name.'),
  export: def(str({ nonEmpty: true }), 'default', 'Name of the exported function. Default "default".'),
  timeout: def(duration({ positive: true }), 5_000_000, 'A run longer than this fails. Default 5s.'),
} satisfies Shape;

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `headers: {name: value}`: values spelled as written (`!secret` and `${ENV}` welcome), one line each. */
const headers: Reader<Readonly<Record<string, string>>> = (at) => {
  const list = entries(at, 'a map of header names to values');
  if (list === undefined) return undefined;
  const out: Record<string, string> = {};
  let ok = true;
  for (const e of list) {
    if (!HEADER_NAME.test(e.key)) {
      report(e.keyAt, 'SPATIA_CONFIG_VALUE', `"${e.key}" is not a valid HTTP header name`);
      ok = false;
      continue;
    }
    const v = text(e.value);
    if (v !== undefined && /[\r\n\0]/.test(v)) {
      report(e.value, 'SPATIA_CONFIG_VALUE', `the value of header ${e.key} must be one line`);
      ok = false;
    } else if (v === undefined) ok = false;
    else out[e.key.toLowerCase()] = v;
  }
  return ok ? Object.freeze(out) : undefined;
};

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** `http: {...}` — a POST of `body` as JSON. */
export const HTTP_SHAPE = {
  url: req(url(['http', 'https']), 'http:// or https:// URL; `user:password@` becomes basic authentication.'),
  body: def(json, null, 'JSON body; strings may hold `{expression}` placeholders. null (the default) sends none.'),
  headers: def(headers, NO_HEADERS, 'Extra request headers (`authorization: !secret hook_token`). Default none.'),
  timeout: def(duration({ positive: true }), 5_000_000, 'Per attempt. Default 5s.'),
  retries: def(
    int({ min: 0 }),
    3,
    'Extra attempts after a network error, a timeout, a 5xx or a 429 (never after another 4xx), with exponential backoff. Default 3.',
  ),
} satisfies Shape;

/** Relative and absolute module paths name files (resolved, checked); bare names are packages. */
function resolveModule(at: At, module: string): string | undefined {
  const isPath = module.startsWith('./') || module.startsWith('../') || isAbsolute(module);
  if (!isPath) return module;
  const file = resolve(at.src.baseDir, module);
  if (existsSync(file)) return file;
  report(valueAt(at, 'module') ?? at, 'SPATIA_CONFIG_FILE', `callback module not found: ${file}`);
  return undefined;
}

function readKind(kind: ActionKind, value: At, action: At, ctx: LoadContext): ActionModel | undefined {
  const pos = posOf(action);
  switch (kind) {
    case 'log': {
      if (typeof scalarValue(value) === 'string') return { kind, message: String(scalarValue(value)), level: 'info', pos };
      const v = readObject(value, LOG_SHAPE);
      return v && { kind, message: v.message, level: v.level, pos };
    }
    case 'mqtt': {
      const v = readObject(value, MQTT_ACTION_SHAPE);
      if (!ctx.hasMqttOutput) {
        report(action, 'SPATIA_CONFIG_MISSING', 'mqtt actions publish through outputs.mqtt, which is not configured');
        return undefined;
      }
      return v && { kind, topic: v.topic, payload: v.payload, qos: v.qos, retain: v.retain, pos };
    }
    case 'gpio': {
      const v = readObject(value, GPIO_ACTION_SHAPE);
      const safe = v && pinSafe(value, v.pin, v.chip, v.safe);
      if (v === undefined || safe === undefined || !checkNotAnInput(value, v.pin, v.chip)) return undefined;
      return { kind, pin: v.pin, value: v.value, chip: v.chip, safe, pos };
    }
    case 'callback': {
      const v = readObject(value, CALLBACK_SHAPE);
      const module = v && resolveModule(value, v.module);
      return v && module !== undefined ? { kind, module, exportName: v.export, timeoutUs: v.timeout, pos } : undefined;
    }
    case 'http': {
      const v = readObject(value, HTTP_SHAPE);
      return v && { kind, url: v.url, body: v.body, headers: v.headers, timeoutUs: v.timeout, retries: v.retries, pos };
    }
  }
}

/** One action: a map with one key from {@link ACTION_KINDS}. */
export function readAction(ctx: LoadContext): Reader<ActionModel> {
  return (at) => {
    const e = oneKey(at, ACTION_KINDS, 'action');
    const kind = ACTION_KINDS.find((k) => k === e?.key);
    if (e === undefined || kind === undefined) return undefined;
    if (isEmpty(e.value)) {
      report(e.keyAt, 'SPATIA_CONFIG_MISSING', `"${kind}" needs a value`);
      return undefined;
    }
    return readKind(kind, e.value, at, ctx);
  };
}

/** `actions:` / `on_falling:` — a list of actions. */
export function readActions(ctx: LoadContext): Reader<ActionModel[]> {
  return listOf(readAction(ctx), { what: 'a list of actions' });
}
