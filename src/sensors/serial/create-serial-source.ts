import { realpath } from 'node:fs/promises';
import type { SensorModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import type { PushSource } from '../live/source.js';
import { createLineParser } from './create-line-parser.js';
import { createNodeSerialPort } from './node-serial-port.js';
import { parseEntityRecords } from './parse-entity-records.js';
import type { LineParser } from './parse-result.js';
import { SerialSource, type SerialSourceDeps } from './serial-source.js';
import { realSerialTimers } from './serial-timers.js';

/** Watchdog without `stale_after`: most serial sensors talk at least every few seconds. */
export const DEFAULT_SILENCE_MS = 10_000;
/** The watchdog never fires sooner, so a short `stale_after` cannot cause a reopen storm. */
export const MIN_SILENCE_MS = 1_000;
export const DEFAULT_BAUD = 9600;
export const MAX_LINE_BYTES = 4096;

/** Replacements for the real port, timers and file system (tests); unset ones are the real ones. */
export type SerialFactoryDeps = Partial<SerialSourceDeps> & {
  /** Overrides the watchdog period derived from the sensor (no minimum applies). */
  readonly silenceMs?: number;
  readonly maxLineBytes?: number;
};

/**
 * The live source of a `kind: serial` sensor: lines from `path` at `baud`, parsed by `parser`
 * into values of the sensor's type. See SerialSource for the health it reports.
 */
export function createSerialSource(sensor: SensorModel, deps: SerialFactoryDeps = {}): PushSource {
  return sourceOf(sensor, createLineParser(sensor), deps);
}

/**
 * The live source of a `kind: entities` sensor with `source: serial`: each JSON line (a record
 * `{id, x, y[, z]}` or an array of them) is delivered as parsed, for the sampler to accumulate.
 */
export function createSerialEntitiesSource(sensor: SensorModel, deps: SerialFactoryDeps = {}): PushSource {
  return sourceOf(sensor, parseEntityRecords, deps);
}

/**
 * How long a serial sensor may stay silent before its device is considered gone: `silence_us`
 * if the config ever carries it, else `stale_after`, else 10 s; never under 1 s.
 */
export function silenceMsOf(sensor: SensorModel): number {
  const explicit = sensor.hardware['silence_us'];
  const us = typeof explicit === 'number' ? explicit : sensor.staleAfterUs;
  return us === undefined ? DEFAULT_SILENCE_MS : Math.max(MIN_SILENCE_MS, us / 1000);
}

function sourceOf(sensor: SensorModel, parse: LineParser, deps: SerialFactoryDeps): SerialSource {
  const path = sensor.hardware['path'];
  if (typeof path !== 'string' || path === '') {
    throw new SpatiaError('SPATIA_CONFIG_MISSING', `${sensor.id}: a serial sensor needs a path`);
  }
  const baud = sensor.hardware['baud'];
  return new SerialSource(
    {
      path,
      baudRate: typeof baud === 'number' ? baud : DEFAULT_BAUD,
      parse,
      silenceMs: deps.silenceMs ?? silenceMsOf(sensor),
      maxLineBytes: deps.maxLineBytes ?? MAX_LINE_BYTES,
    },
    {
      createPort: deps.createPort ?? ((options) => createNodeSerialPort(options)),
      timers: deps.timers ?? realSerialTimers(),
      realpath: deps.realpath ?? ((p) => realpath(p)),
      backoffInitialMs: deps.backoffInitialMs ?? 500,
      backoffMaxMs: deps.backoffMaxMs ?? 30_000,
    },
  );
}
