import { didYouMean } from './did-you-mean.js';
import { type At, type Entry, entries, isEmpty, report } from './yaml-source.js';

/**
 * The configuration schema, written declaratively: each YAML map is a {@link Shape} listing its
 * keys, whether each is required or has a default, the reader that validates and converts its
 * value, and a line of documentation. The `schema-*.ts` files hold the shapes of every section
 * (runtime, zones, sensors, signals, filters, patterns, conditions, actions, outputs); this file
 * holds the machinery that reads a map against a shape and reports every problem it finds.
 */

/**
 * Validates and converts one YAML value. Returns undefined only after reporting why the value is
 * invalid (at the value's position), so a caller can simply skip what it could not read.
 */
export type Reader<T> = (at: At) => T | undefined;

/** One key of a map: how to read it and what it is when absent. */
export interface Field<O> {
  /** What the key means, as a user would read it in a reference. */
  readonly doc: string;
  readonly read: Reader<O>;
  /** The value when the key is absent (or written without a value); undefined if required. */
  readonly absent: { readonly value: O } | undefined;
}

/** The keys of one YAML map. */
export type Shape = Readonly<Record<string, Field<unknown>>>;

/** What reading a map against a shape gives: each key's converted value or its default. */
export type Values<S extends Shape> = { -readonly [K in keyof S]: S[K] extends Field<infer O> ? O : never };

/** A key that must be written. */
export function req<T>(read: Reader<T>, doc: string): Field<T> {
  return { doc, read, absent: undefined };
}

/** A key that may be left out; its value is then undefined. */
export function opt<T>(read: Reader<T>, doc: string): Field<T | undefined> {
  return { doc, read, absent: { value: undefined } };
}

/** A key that may be left out; its value is then `value`. */
export function def<T>(read: Reader<T>, value: T, doc: string): Field<T> {
  return { doc, read, absent: { value } };
}

/** The values of a shape with no key written; only meaningful for shapes without required keys. */
export function defaultsOf<S extends Shape>(shape: S): Values<S> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) out[key] = field.absent?.value;
  return out as Values<S>;
}

/** How {@link readObject} treats keys that are not in the shape. */
export interface ObjectOptions {
  /** Keys that another shape reads from the same map, so they are not unknown here. */
  readonly also?: Iterable<string>;
  /**
   * Called for each key in neither the shape nor `also`; returns true when it dealt with the key
   * (kept it as a parameter, or reported it with a better message than "unknown key").
   */
  readonly other?: (entry: Entry) => boolean;
  /** Appended to "missing required key" messages, such as `for a gpio sensor`. */
  readonly context?: string;
}

/**
 * Reads a map against a shape. Reports every unknown key (at the key, with a did-you-mean), every
 * missing required key (at the map) and every invalid value (at the value), then returns the
 * values, or undefined if any value was invalid or missing. Unknown keys alone do not make the
 * result undefined: the values read are still right, so later checks can use them.
 */
export function readObject<S extends Shape>(at: At, shape: S, opts: ObjectOptions = {}): Values<S> | undefined {
  const list = entries(at);
  if (list === undefined) return undefined;
  const known = new Set([...Object.keys(shape), ...(opts.also ?? [])]);
  for (const e of list) {
    if (known.has(e.key) || opts.other?.(e) === true) continue;
    reportUnknownKey(e, known);
  }
  const byKey = new Map(list.map((e) => [e.key, e]));
  const out: Record<string, unknown> = {};
  let ok = true;
  const suffix = opts.context === undefined ? '' : ` ${opts.context}`;
  for (const [key, field] of Object.entries(shape)) {
    const e = byKey.get(key);
    if (e === undefined || isEmpty(e.value)) {
      if (field.absent !== undefined) {
        out[key] = field.absent.value;
        continue;
      }
      ok = false;
      if (e === undefined) report(at, 'SPATIA_CONFIG_MISSING', `missing required key "${key}"${suffix}`);
      else report(e.keyAt, 'SPATIA_CONFIG_MISSING', `"${key}" needs a value`);
      continue;
    }
    const v = field.read(e.value);
    if (v === undefined) ok = false;
    else out[key] = v;
  }
  return ok ? (out as Values<S>) : undefined;
}

/** `unknown key "x"; did you mean "y"?`, or the list of known keys when none is close. */
export function reportUnknownKey(e: Entry, known: Iterable<string>, what = 'key'): void {
  const names = [...known];
  const hint = didYouMean(e.key, names);
  const message =
    hint === '' ? `unknown ${what} "${e.key}"; expected one of: ${names.join(', ')}` : `unknown ${what} "${e.key}"${hint}`;
  report(e.keyAt, 'SPATIA_CONFIG_UNKNOWN_KEY', message);
}

/**
 * Reads a map with exactly one key naming a variant (`{moving_average: 10s}`, `{log: "text"}`,
 * `{sine: {...}}`). Returns the entry, or undefined after reporting a map with no key, several
 * keys, or a name not in `names` (as an unknown key, with a did-you-mean).
 */
export function oneKey(at: At, names: readonly string[], what: string): Entry | undefined {
  const list = entries(at, `a ${what} (a map with one key: ${names.join(', ')})`);
  if (list === undefined) return undefined;
  const [first] = list;
  if (first === undefined || list.length > 1) {
    const keys = list.map((e) => e.key).join(', ');
    const got = first === undefined ? 'an empty map' : `${list.length} keys: ${keys}`;
    // The classic mistake is a block map not indented under its name: `- mqtt:` then `topic:`.
    const indent =
      first !== undefined && names.includes(first.key) && isEmpty(first.value)
        ? `; indent the settings under "${first.key}:"`
        : '';
    report(at, 'SPATIA_CONFIG_TYPE', `${withArticle(what)} is a map with one key (${names.join(', ')}); got ${got}${indent}`);
    return undefined;
  }
  if (!names.includes(first.key)) {
    reportUnknownKey(first, names, what);
    return undefined;
  }
  return first;
}

/** `a gpio`, `an i2c`, `an mqtt`: the article as the word is read aloud. */
export function withArticle(word: string): string {
  return `${/^(?:[aeiou]|mqtt)/i.test(word) ? 'an' : 'a'} ${word}`;
}
