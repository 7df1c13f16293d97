import type { SensorModel } from '../../config/model.js';
import type { LiveSource } from '../live/source.js';
import type { GpioBackend } from './gpio-backend.js';
import { readGpioInputConfig } from './gpio-input-config.js';
import { GpioPolledSource } from './gpio-polled-source.js';
import { GpioPushSource } from './gpio-push-source.js';
import { type GpioTimers, realGpioTimers } from './gpio-timers.js';
import { SysfsGpioBackend } from './sysfs-gpio-backend.js';

/** What {@link createGpioSource} needs besides the sensor. */
export interface GpioSourceDeps {
  /**
   * Labels of the board's header chip, most likely first (board profile): pi5 `['pinctrl-rp1']`,
   * pi4 `['pinctrl-bcm2711', 'pinctrl-bcm2835']`, Jetson Orin `['tegra234-gpio']`. Used when the
   * sensor has no `chip`; with an empty list a machine with a single GPIO chip still works.
   */
  readonly headerChipLabels: readonly string[];
  /** Default: a SysfsGpioBackend on /sys/class/gpio with `timers`. Share one between sources if you like: it keeps no per-line state. */
  readonly backend?: GpioBackend;
  /** Default: the real clock and setTimeout. */
  readonly timers?: GpioTimers;
  /** Push sources: first reopen delay after a failure (default 1000 ms), doubling up to `reopenMaxMs` (default 30000 ms). */
  readonly reopenMinMs?: number;
  readonly reopenMaxMs?: number;
}

/**
 * The live source of a `kind: gpio` sensor: a PushSource when `edge` is rising, falling or both
 * (interrupt-driven, debounced), a PolledSource when it is none. Values are booleans, true =
 * active (high, or low with `active_low`). Throws a SpatiaError (SPATIA_CONFIG_VALUE) only when
 * the sensor is not a validated gpio sensor; every hardware problem is a SensorFault later.
 */
export function createGpioSource(sensor: SensorModel, deps: GpioSourceDeps): LiveSource {
  const config = readGpioInputConfig(sensor);
  const timers = deps.timers ?? realGpioTimers();
  const backend = deps.backend ?? new SysfsGpioBackend({ timers });
  const { headerChipLabels } = deps;
  if (config.edge === 'none') return new GpioPolledSource({ config, backend, headerChipLabels, timers });
  return new GpioPushSource({
    config: { ...config, edge: config.edge },
    backend,
    headerChipLabels,
    timers,
    reopenMinMs: deps.reopenMinMs ?? 1000,
    reopenMaxMs: deps.reopenMaxMs ?? 30_000,
  });
}
