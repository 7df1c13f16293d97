import { isMap, isScalar, isSeq } from 'yaml';
import { lookupUnit } from '../expr/units.js';
import { didYouMean } from './did-you-mean.js';
import { parseBytes, parseDuration, parseRate } from './durations.js';
import type { ExprSource, JsonValue } from './model.js';
import type { Reader } from './schema.js';
import { type At, child, describe, expressionText, report, scalarValue } from './yaml-source.js';

/**
 * The value readers the schema is built from. Each one validates a YAML value, converts it, and
 * on failure reports why at the value's position and returns undefined.
 */

function typeError(at: At, expected: string): undefined {
  report(at, 'SPATIA_CONFIG_TYPE', `expected ${expected}, got ${describe(at)}`);
  return undefined;
}

function valueError(at: At, message: string): undefined {
  report(at, 'SPATIA_CONFIG_VALUE', message);
  return undefined;
}

/** A string (not a number or boolean: `"1"` must be quoted where text is meant). */
export function str(opts: { nonEmpty?: boolean } = {}): Reader<string> {
  return (at) => {
    const v = scalarValue(at);
    if (typeof v !== 'string') return typeError(at, 'a string');
    if (opts.nonEmpty === true && v.trim() === '') return valueError(at, 'must not be empty');
    return v;
  };
}

/**
 * Any scalar as text, spelled as written: for names and secrets (`client_id: 0042`, `password:
 * 1234`) that YAML would otherwise read as numbers.
 */
export const text: Reader<string> = (at) => {
  const n = at.node;
  if (!isScalar(n) || n.value === null) return typeError(at, 'a string');
  return typeof n.value === 'string' ? n.value : (n.source ?? String(n.value));
};

interface NumberLimits {
  readonly min?: number;
  readonly max?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
}

function checkLimits(at: At, v: number, lim: NumberLimits): number | undefined {
  if (lim.above !== undefined && !(v > lim.above)) return valueError(at, `must be greater than ${lim.above}, got ${v}`);
  if (lim.below !== undefined && !(v < lim.below)) return valueError(at, `must be less than ${lim.below}, got ${v}`);
  if (lim.min !== undefined && v < lim.min) return valueError(at, `must be at least ${lim.min}, got ${v}`);
  if (lim.max !== undefined && v > lim.max) return valueError(at, `must be at most ${lim.max}, got ${v}`);
  return v;
}

/** A finite number, optionally bounded. */
export function num(lim: NumberLimits = {}): Reader<number> {
  return (at) => {
    const v = scalarValue(at);
    if (typeof v !== 'number') return typeError(at, 'a number');
    if (!Number.isFinite(v)) return valueError(at, `must be a finite number, got ${describe(at)}`);
    return checkLimits(at, v, lim);
  };
}

/** An integer (YAML's `0x76` and `0o17` are integers too), optionally bounded. */
export function int(lim: NumberLimits = {}): Reader<number> {
  return (at) => {
    const v = scalarValue(at);
    if (typeof v !== 'number' || !Number.isInteger(v)) return typeError(at, 'an integer');
    return checkLimits(at, v, lim);
  };
}

/** `true` or `false`. */
export const bool: Reader<boolean> = (at) => {
  const v = scalarValue(at);
  return typeof v === 'boolean' ? v : typeError(at, 'true or false');
};

/** One of a fixed set of scalars; a misspelt string gets a did-you-mean. */
export function oneOf<T extends string | number | boolean>(values: readonly T[]): Reader<T> {
  const list = values.map((v) => String(v)).join(', ');
  return (at) => {
    const v = scalarValue(at);
    const hit = values.find((x) => x === v);
    if (hit !== undefined) return hit;
    if (isMap(at.node) || isSeq(at.node)) return typeError(at, `one of ${list}`);
    const hint = typeof v === 'string' ? didYouMean(v, values.map(String)) : '';
    return valueError(at, `expected one of ${list}, got ${describe(at)}${hint}`);
  };
}

/** A duration (see `parseDuration`) in integer microseconds; `positive` refuses 0. */
export function duration(opts: { positive?: boolean } = {}): Reader<number> {
  return (at) => {
    const v = scalarValue(at);
    if (typeof v !== 'string' && typeof v !== 'number') return typeError(at, 'a duration such as 30s');
    const r = parseDuration(v);
    if ('error' in r) {
      report(at, 'SPATIA_CONFIG_DURATION', `bad duration ${describe(at)}: ${r.error}`);
      return undefined;
    }
    if (opts.positive === true && r.us === 0) {
      report(at, 'SPATIA_CONFIG_DURATION', `must be longer than 0, got ${describe(at)}`);
      return undefined;
    }
    return r.us;
  };
}

/** A rate such as `10 Hz`, as its period in integer microseconds. */
export const rate: Reader<number> = (at) => {
  const v = scalarValue(at);
  if (typeof v !== 'string' && typeof v !== 'number') return typeError(at, 'a rate such as 10 Hz');
  const r = parseRate(v);
  return 'error' in r ? valueError(at, `bad rate ${describe(at)}: ${r.error}`) : r.us;
};

/** A size such as `64MB`, in bytes; at least 1. */
export const bytes: Reader<number> = (at) => {
  const v = scalarValue(at);
  if (typeof v !== 'string' && typeof v !== 'number') return typeError(at, 'a size such as 64MB');
  const r = parseBytes(v);
  if ('error' in r) return valueError(at, `bad size ${describe(at)}: ${r.error}`);
  return r.bytes > 0 ? r.bytes : valueError(at, 'must be at least 1 byte');
};

/** A list whose items are each read by `item`; undefined if any item is invalid. */
export function listOf<T>(item: Reader<T>, opts: { min?: number; what?: string; items?: string } = {}): Reader<T[]> {
  return (at) => {
    if (!isSeq(at.node)) return typeError(at, opts.what ?? 'a list');
    const out: T[] = [];
    let ok = true;
    at.node.items.forEach((node, i) => {
      const v = item(child(at, node, i));
      if (v === undefined) ok = false;
      else out.push(v);
    });
    if (!ok) return undefined;
    if (opts.min !== undefined && out.length < opts.min) {
      return valueError(at, `needs at least ${opts.min} ${opts.items ?? 'items'}, got ${out.length}`);
    }
    return out;
  };
}

/** A list of exactly `sizes` numbers (`[x, y]`, or `[x, y]` / `[x, y, z]` with two sizes). */
export function numbers(...sizes: number[]): Reader<number[]> {
  const shape = sizes.map((n) => `[${['x', 'y', 'z'].slice(0, n).join(', ')}]`).join(' or ');
  const items = listOf(num(), { what: `a list of numbers ${shape}` });
  return (at) => {
    const v = items(at);
    if (v === undefined) return undefined;
    if (sizes.includes(v.length)) return v;
    report(at, 'SPATIA_CONFIG_TYPE', `expected ${shape}, got ${v.length} number${v.length === 1 ? '' : 's'}`);
    return undefined;
  };
}

/** Any JSON value (maps, lists, strings, finite numbers, booleans, null). */
export const json: Reader<JsonValue> = (at) => toJson(at, 0);

function toJson(at: At, depth: number): JsonValue | undefined {
  // Aliases can point at an enclosing node; no real payload nests this deep.
  if (depth > 64) return valueError(at, 'nested too deeply (a YAML alias that refers to itself?)');
  const n = at.node;
  if (n === undefined) return null;
  if (isScalar(n)) {
    const v = n.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return valueError(at, `${describe(at)} is not a JSON value`);
  }
  if (isSeq(n)) {
    const out: JsonValue[] = [];
    let ok = true;
    n.items.forEach((item, i) => {
      const v = toJson(child(at, item, i), depth + 1);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    return ok ? out : undefined;
  }
  const out: Record<string, JsonValue> = {};
  let ok = true;
  for (const pair of n.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const v = toJson(child(at, pair.value, key), depth + 1);
    if (v === undefined) ok = false;
    else out[key] = v;
  }
  return ok ? out : undefined;
}

/** An expression (`when:`, `value:`, `input:`): its text and the position of its first character. */
export const expr: Reader<ExprSource> = (at) => {
  const t = expressionText(at);
  if (t === undefined) return typeError(at, 'an expression');
  if (t.text.trim() === '') {
    report(at, 'SPATIA_CONFIG_EXPR_SYNTAX', 'empty expression');
    return undefined;
  }
  return { text: t.text, pos: at.src.posAt(t.offset, at.path) };
};

const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words of the expression language that would be read as operators or literals. */
const RESERVED = new Set(['and', 'or', 'not', 'true', 'false']);

/** An id: an identifier that expressions can refer to by its bare name. */
export const id: Reader<string> = (at) => {
  const v = scalarValue(at);
  if (typeof v !== 'string') return typeError(at, 'an id (letters, digits and _)');
  if (!ID.test(v)) {
    return valueError(at, `id "${v}" must start with a letter or _ and hold only letters, digits and _`);
  }
  if (RESERVED.has(v)) return valueError(at, `id "${v}" is a reserved word of the expression language`);
  return v;
};

/** True when `v` would be accepted by {@link id}; used to collect ids before full validation. */
export function isValidId(v: unknown): v is string {
  return typeof v === 'string' && ID.test(v) && !RESERVED.has(v);
}

/** Units suggested for a misspelt `unit:`, most common first; each is known to lookupUnit. */
export const SUGGESTED_UNITS = [
  'degC', 'degF', 'K', '%', 'ppm', 'ppb', 'Pa', 'hPa', 'kPa', 'bar', 'lux', 'm', 'cm', 'mm', 'km',
  'm/s', 'km/h', 's', 'ms', 'min', 'h', 'V', 'mV', 'A', 'mA', 'W', 'kW', 'kWh', 'Hz', 'dB', 'g',
  'kg', 'l', 'celsius', 'fahrenheit',
];

/** A unit known to the expression language's unit table (`degC`, `ppm`, `m/s`, ...). */
export const unit: Reader<string> = (at) => {
  const v = scalarValue(at);
  if (typeof v !== 'string') return typeError(at, 'a unit such as degC');
  if (lookupUnit(v) !== undefined) return v;
  report(at, 'SPATIA_CONFIG_UNIT', `unknown unit "${v}"${didYouMean(v, SUGGESTED_UNITS)}`);
  return undefined;
};

/** A `scheme://...` URL whose scheme is one of `schemes`. */
export function url(schemes: readonly string[]): Reader<string> {
  const read = str({ nonEmpty: true });
  return (at) => {
    const v = read(at);
    if (v === undefined) return undefined;
    let scheme: string;
    try {
      scheme = new URL(v).protocol.replace(/:$/, '');
    } catch {
      return valueError(at, `${describe(at)} is not a URL (expected ${schemes.map((s) => `${s}://`).join(', ')})`);
    }
    if (!schemes.includes(scheme)) {
      return valueError(at, `URL scheme must be ${schemes.map((s) => `${s}://`).join(', ')}, got "${scheme}://"`);
    }
    return v;
  };
}
