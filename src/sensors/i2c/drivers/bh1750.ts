import type { I2cTransaction } from '../i2c-transaction.js';
import type { I2cDriver, I2cReading } from './driver.js';

const POWER_ON = 0x01;
const ONE_TIME_H_RES = 0x20;
/** H-resolution mode takes 120 ms typically, 180 ms at most (datasheet, electrical characteristics). */
const MEASURE_MS = 180;
/** Counts per lux at the default measurement time (MTreg 69): lx = count / 1.2. */
const COUNTS_PER_LUX = 1.2;

/**
 * ROHM BH1750FVI ambient light sensor: `illuminance` (lux). No id register: the probe is the
 * power-on command (the device must acknowledge it). Each reading is one one-time H-resolution
 * measurement (1 lx resolution; the chip powers down by itself afterwards): power on, command
 * 0x20, wait 180 ms, read two bytes, big-endian.
 */
export class Bh1750Driver implements I2cDriver {
  async open(tx: I2cTransaction): Promise<void> {
    await tx.write([POWER_ON]);
  }

  fields(): readonly string[] {
    return ['illuminance'];
  }

  async measure(tx: I2cTransaction): Promise<I2cReading> {
    await tx.write([POWER_ON]);
    await tx.write([ONE_TIME_H_RES]);
    await tx.sleep(MEASURE_MS);
    const d = await tx.read(2);
    return { illuminance: (((d[0] ?? 0) << 8) | (d[1] ?? 0)) / COUNTS_PER_LUX };
  }
}
