import type { SensorModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import type { GpioEdge } from './gpio-backend.js';
import type { GpioLineSpec } from './resolve-gpio-line.js';

/** A GPIO input sensor's keys (`SensorModel.hardware` of kind gpio), with defaults applied. */
export interface GpioInputConfig extends GpioLineSpec {
  readonly sensorId: string;
  readonly edge: GpioEdge;
  readonly activeLow: boolean;
  /** A level must hold this long before it is reported; 0 = report every change. */
  readonly debounceUs: number;
}

const EDGES: readonly GpioEdge[] = ['none', 'rising', 'falling', 'both'];

/**
 * Reads the validated gpio keys. The schema has checked them already, so a mismatch here is a
 * wiring bug (a non-gpio sensor, a hand-built model): it throws a SpatiaError
 * (SPATIA_CONFIG_VALUE) at construction rather than failing at the first read.
 */
export function readGpioInputConfig(sensor: SensorModel): GpioInputConfig {
  const hw = sensor.hardware;
  const bad = (what: string): never => {
    throw new SpatiaError('SPATIA_CONFIG_VALUE', `sensor ${sensor.id}: ${what}`);
  };
  if (sensor.kind !== 'gpio') bad(`kind is ${sensor.kind}, not gpio`);
  const pin = hw['pin'];
  if (typeof pin !== 'number' || !Number.isInteger(pin) || pin < 0) bad('pin must be a line number >= 0');
  const chip = hw['chip'];
  if (chip !== undefined && (typeof chip !== 'string' || chip === '')) bad('chip must be a label or path');
  const edge = hw['edge'] ?? 'both';
  if (!EDGES.includes(edge as GpioEdge)) bad('edge must be none, rising, falling or both');
  const activeLow = hw['active_low'] ?? false;
  if (typeof activeLow !== 'boolean') bad('active_low must be true or false');
  const debounceUs = hw['debounce_us'] ?? 0;
  if (typeof debounceUs !== 'number' || !(debounceUs >= 0)) bad('debounce must be a duration >= 0');
  return {
    sensorId: sensor.id,
    pin: pin as number,
    chip: chip as string | undefined,
    edge: edge as GpioEdge,
    activeLow: activeLow as boolean,
    debounceUs: debounceUs as number,
  };
}
