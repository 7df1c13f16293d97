import type { JsonValue } from '../../config/model.js';
import type { ActionCommand } from '../action-runner.js';

/** More commands than this from one call is a runaway callback, not a request. */
export const MAX_COMMANDS = 100;

/** What a callback may return, for the messages that say it did not. */
export const EXPECTED_RESULT =
  'nothing, an array of commands or {commands: [...]}, each one of {publish: {topic, payload, qos?, retain?}}, {gpio: {pin, value, chip?}}, {log: {message, level?}}';

type JsonObject = { readonly [key: string]: JsonValue };

/** The commands a callback returned, or what is wrong with them (one message, naming where). */
export type ReadCommands = { readonly commands: readonly ActionCommand[] } | { readonly error: string };

/**
 * Reads a callback's result (already parsed from JSON, so only JSON values occur) into commands.
 * Strict: unknown keys are refused, so a typo (`{publsh: ...}`, `qos: "1"`) fails loudly instead
 * of doing something else.
 */
export function readCommands(value: JsonValue): ReadCommands {
  if (value === null) return { commands: [] };
  let list: JsonValue | undefined;
  if (Array.isArray(value)) list = value;
  else if (isObject(value) && onlyKeys(value, ['commands'])) list = value['commands'];
  if (list === undefined) return { error: `returned ${describeJson(value)}; expected ${EXPECTED_RESULT}` };
  if (!Array.isArray(list)) return { error: `returned {commands: ${describeJson(list)}}; commands must be an array` };
  if (list.length > MAX_COMMANDS) return { error: `returned ${list.length} commands, more than the ${MAX_COMMANDS} allowed` };
  const commands: ActionCommand[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = readCommand(list[i] as JsonValue);
    if (typeof c === 'string') return { error: `command ${i}: ${c}` };
    commands.push(c);
  }
  return { commands };
}

/** One command, or what is wrong with it. */
function readCommand(c: JsonValue): ActionCommand | string {
  const kinds = isObject(c) ? Object.keys(c) : [];
  const kind = kinds[0];
  if (!isObject(c) || kinds.length !== 1 || kind === undefined) {
    return `expected an object with one key, publish, gpio or log; got ${describeJson(c)}`;
  }
  const body = c[kind];
  if (!isObject(body)) return `${kind} must be an object, got ${describeJson(body ?? null)}`;
  switch (kind) {
    case 'publish':
      return readPublish(body);
    case 'gpio':
      return readGpio(body);
    case 'log':
      return readLog(body);
    default:
      return `unknown command "${kind}" (expected publish, gpio or log)`;
  }
}

function readPublish(b: JsonObject): ActionCommand | string {
  const extra = unknownKey(b, ['topic', 'payload', 'qos', 'retain']);
  if (extra !== undefined) return `publish has an unknown key "${extra}" (topic, payload, qos, retain)`;
  const { topic, payload, qos, retain } = b;
  if (typeof topic !== 'string' || topic === '' || /[+#]/.test(topic)) {
    return `publish.topic must be a non-empty topic without wildcards (+, #), got ${describeJson(topic ?? null)}`;
  }
  if (payload === undefined) return 'publish.payload is missing (any JSON value)';
  if (qos !== undefined && qos !== 0 && qos !== 1 && qos !== 2) return `publish.qos must be 0, 1 or 2, got ${describeJson(qos)}`;
  if (retain !== undefined && typeof retain !== 'boolean') return `publish.retain must be true or false, got ${describeJson(retain)}`;
  return { publish: { topic, payload, ...(qos !== undefined && { qos }), ...(retain !== undefined && { retain }) } };
}

function readGpio(b: JsonObject): ActionCommand | string {
  const extra = unknownKey(b, ['pin', 'value', 'chip']);
  if (extra !== undefined) return `gpio has an unknown key "${extra}" (pin, value, chip)`;
  const { pin, value, chip } = b;
  if (typeof pin !== 'number' || !Number.isInteger(pin) || pin < 0 || pin > 1023) {
    return `gpio.pin must be a line number from 0 to 1023, got ${describeJson(pin ?? null)}`;
  }
  const level = value === 1 || value === true ? 1 : value === 0 || value === false ? 0 : undefined;
  if (level === undefined) return `gpio.value must be 0, 1, true or false, got ${describeJson(value ?? null)}`;
  if (chip !== undefined && (typeof chip !== 'string' || chip === '')) return `gpio.chip must be a chip label or path, got ${describeJson(chip)}`;
  return { gpio: { pin, value: level, ...(chip !== undefined && { chip }) } };
}

function readLog(b: JsonObject): ActionCommand | string {
  const extra = unknownKey(b, ['message', 'level']);
  if (extra !== undefined) return `log has an unknown key "${extra}" (message, level)`;
  const { message, level } = b;
  if (typeof message !== 'string') return `log.message must be a string, got ${describeJson(message ?? null)}`;
  if (level !== undefined && level !== 'info' && level !== 'warn' && level !== 'error') {
    return `log.level must be info, warn or error, got ${describeJson(level)}`;
  }
  return { log: { message, ...(level !== undefined && { level }) } };
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function onlyKeys(o: JsonObject, keys: readonly string[]): boolean {
  return unknownKey(o, keys) === undefined && keys.every((k) => k in o);
}

function unknownKey(o: JsonObject, keys: readonly string[]): string | undefined {
  return Object.keys(o).find((k) => !keys.includes(k));
}

/** A short description of a JSON value for messages: its type and a glimpse of it. */
export function describeJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', ...' : ''}`;
  }
  const text = JSON.stringify(v);
  return `a ${typeof v} (${text.length > 40 ? `${text.slice(0, 40)}...` : text})`;
}
