import { Ads1115Driver, ADS1115_DEFAULT_GAIN, ADS1115_GAINS } from './ads1115.js';
import { Bh1750Driver } from './bh1750.js';
import { Bme280Driver } from './bme280.js';
import type { I2cDriver } from './driver.js';
import { Sht31Driver } from './sht31.js';
import { Tmp102Driver } from './tmp102.js';

/** What selects a driver and its settings (the i2c sensor's `device`, `channel`, `gain`). */
export interface I2cDriverSettings {
  readonly device: string;
  /** ads1115 only: input 0..3 (default 0). */
  readonly channel?: number | undefined;
  /** ads1115 only: PGA gain (default {@link ADS1115_DEFAULT_GAIN}). */
  readonly gain?: number | undefined;
}

/** A new driver for `settings`, or a message saying why there is none (never throws). */
export function createDriver(settings: I2cDriverSettings): I2cDriver | string {
  switch (settings.device) {
    case 'bme280':
      return new Bme280Driver();
    case 'sht31':
      return new Sht31Driver();
    case 'tmp102':
      return new Tmp102Driver();
    case 'bh1750':
      return new Bh1750Driver();
    case 'ads1115': {
      const channel = settings.channel ?? 0;
      const gain = settings.gain ?? ADS1115_DEFAULT_GAIN;
      if (!Number.isInteger(channel) || channel < 0 || channel > 3) return `ads1115 channel must be 0..3, got ${channel}`;
      if (!ADS1115_GAINS.some((g) => Math.abs(g.gain - gain) < 1e-6)) return `ads1115 gain must be one of 2/3, 1, 2, 4, 8, 16, got ${gain}`;
      return new Ads1115Driver(channel, gain);
    }
    default:
      return `no built-in I2C driver "${settings.device}" (bme280, sht31, tmp102, ads1115, bh1750)`;
  }
}
