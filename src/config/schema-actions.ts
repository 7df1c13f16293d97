import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LoadContext } from './load-context.js';
import type { ActionModel, JsonValue } from './model.js';
import { bool, duration, int, json, listOf, oneOf, str, url } from './readers.js';
import { def, oneKey, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { type At, describe, isEmpty, posOf, report, scalarValue, valueAt } from './yaml-source.js';

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
} satisfies Shape;

/** `callback: {...}` — runs an exported function of a user module in a worker thread. */
export const CALLBACK_SHAPE = {
  module: req(str({ nonEmpty: true }), 'Module path (relative to the config file) or package name.'),
  export: def(str({ nonEmpty: true }), 'default', 'Name of the exported function. Default "default".'),
  timeout: def(duration({ positive: true }), 5_000_000, 'A run longer than this fails. Default 5s.'),
} satisfies Shape;

/** `http: {...}` — a POST of `body` as JSON. */
export const HTTP_SHAPE = {
  url: req(url(['http', 'https']), 'http:// or https:// URL.'),
  body: def(json, null, 'JSON body; null (the default) sends none.'),
  timeout: def(duration({ positive: true }), 5_000_000, 'Per attempt. Default 5s.'),
  retries: def(int({ min: 0 }), 3, 'Extra attempts after a failure. Default 3.'),
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
      return v && { kind, pin: v.pin, value: v.value, chip: v.chip, pos };
    }
    case 'callback': {
      const v = readObject(value, CALLBACK_SHAPE);
      const module = v && resolveModule(value, v.module);
      return v && module !== undefined ? { kind, module, exportName: v.export, timeoutUs: v.timeout, pos } : undefined;
    }
    case 'http': {
      const v = readObject(value, HTTP_SHAPE);
      return v && { kind, url: v.url, body: v.body, timeoutUs: v.timeout, retries: v.retries, pos };
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
