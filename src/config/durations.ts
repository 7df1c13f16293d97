/**
 * Readers for the scalar quantities the configuration writes as text: durations, tick rates and
 * byte sizes. They take whatever YAML produced (a number or a string) and return either the value
 * in integer base units or a message saying why the input is not one; the loader adds the
 * position and the error code.
 */

/** A plain decimal number as users write it: `30`, `1.5`, `.5`, `2e3` (no sign, no hex). */
const NUMBER = String.raw`(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const WITH_UNIT = new RegExp(String.raw`^([+-]?${NUMBER})\s*([A-Za-zµμ]*)$`);

const US_PER_DURATION_UNIT: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1, // U+00B5 MICRO SIGN, what most keyboards type
  μs: 1, // U+03BC GREEK SMALL LETTER MU, what some editors substitute
  ms: 1_000,
  s: 1_000_000,
  sec: 1_000_000,
  secs: 1_000_000,
  second: 1_000_000,
  seconds: 1_000_000,
  min: 60_000_000,
  mins: 60_000_000,
  minute: 60_000_000,
  minutes: 60_000_000,
  h: 3_600_000_000,
  hr: 3_600_000_000,
  hrs: 3_600_000_000,
  hour: 3_600_000_000,
  hours: 3_600_000_000,
  d: 86_400_000_000,
  day: 86_400_000_000,
  days: 86_400_000_000,
};

const DURATION_HELP = 'expected a duration such as 500ms, 30s, 5min, 1h, 2d or a number of seconds';

/** What a reader produces: the value, or a message saying what is wrong with the input. */
type Parsed<K extends string> = { [P in K]: number } | { error: string };

interface NumberWithUnit {
  readonly value: number;
  readonly unit: string;
}

/** Splits `1.5 s` / `10Hz` / `64MB` / `30` into number and unit; undefined when it is neither. */
function splitNumber(v: unknown): NumberWithUnit | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, unit: '' } : undefined;
  if (typeof v !== 'string') return undefined;
  const m = WITH_UNIT.exec(v.trim());
  if (m === null) return undefined;
  const value = Number(m[1]);
  return Number.isFinite(value) ? { value, unit: m[2] ?? '' } : undefined;
}

/** Quotes strings and prints anything else as JSON, for messages about a bad input. */
function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/**
 * Reads a duration (`500ms`, `30s`, `5min`, `1h`, `2d`, `1.5s`, `250us`/`250µs`, with or without a
 * space; a bare non-negative number, or numeric string, is seconds) as integer microseconds,
 * rounded to the nearest microsecond. `m` is refused because spatia reads `m` as metres.
 */
export function parseDuration(v: unknown): Parsed<'us'> {
  const n = splitNumber(v);
  if (n === undefined) return { error: DURATION_HELP };
  if (n.unit === 'm') {
    return { error: `m is metres; write ${String(n.value)}min for minutes` };
  }
  const scale = n.unit === '' ? 1_000_000 : US_PER_DURATION_UNIT[n.unit];
  if (scale === undefined) return { error: `unknown time unit "${n.unit}"; ${DURATION_HELP}` };
  if (n.value < 0) return { error: 'a duration cannot be negative' };
  const us = Math.round(n.value * scale);
  if (!Number.isSafeInteger(us)) return { error: `${show(v)} is too long a duration` };
  return { us };
}

/**
 * Reads a tick rate (`10 Hz`, `10Hz`, `2.5 Hz`, `1 kHz`; a bare number is Hz) and returns its
 * period in microseconds, exactly `1e6 / hz` (not rounded).
 */
export function parseRate(v: unknown): Parsed<'us'> {
  const n = splitNumber(v);
  const help = 'expected a rate such as 10 Hz (or a bare number of Hz)';
  if (n === undefined) return { error: help };
  const unit = n.unit.toLowerCase();
  const hzPerUnit = unit === '' || unit === 'hz' ? 1 : unit === 'khz' ? 1000 : undefined;
  if (hzPerUnit === undefined) return { error: `unknown rate unit "${n.unit}"; ${help}` };
  const hz = n.value * hzPerUnit;
  if (!(hz > 0)) return { error: 'a rate must be greater than 0 Hz' };
  // Kept exact, not rounded: tick k is at round(k * 1e6 / hz) µs, so 3 Hz ticks land on 1.0 s.
  const us = 1e6 / hz;
  // A period under 1 µs would make the tick loop spin; 1 MHz is far beyond any board.
  if (us < 1) return { error: `${show(v)} is faster than 1 MHz` };
  if (us > Number.MAX_SAFE_INTEGER) return { error: `${show(v)} is too slow a rate` };
  return { us };
}

const BYTES_PER_UNIT: Readonly<Record<string, number>> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/**
 * Reads a size in bytes (`64MB`, `512KB`, `1GB`, `1048576`, `1.5 MiB`). KB, MB and GB are binary
 * (1024-based) like KiB, MiB and GiB, because that is what people mean when sizing a disk buffer.
 * Units are case-insensitive; the result is rounded to a whole byte.
 */
export function parseBytes(v: unknown): Parsed<'bytes'> {
  const n = splitNumber(v);
  const help = 'expected a size such as 64MB, 512KB, 1GB or a number of bytes';
  if (n === undefined) return { error: help };
  const scale = BYTES_PER_UNIT[n.unit.toLowerCase()];
  if (scale === undefined) return { error: `unknown size unit "${n.unit}"; ${help}` };
  if (n.value < 0) return { error: 'a size cannot be negative' };
  const bytes = Math.round(n.value * scale);
  if (!Number.isSafeInteger(bytes)) return { error: `${show(v)} is too large` };
  return { bytes };
}

