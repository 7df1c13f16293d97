import { hex, swap16 } from '../i2c-bus.js';
import type { I2cTransaction } from '../i2c-transaction.js';
import { garbage, type I2cDriver, type I2cReading, probeFailed, signed } from './driver.js';

const REG_TEMP = 0x00;
const REG_CONFIG = 0x01;
const CONFIG_SD = 0x0100; // shutdown (byte 1, bit 0)
const CONFIG_R1R0 = 0x6000; // converter resolution, read-only 11
const DEGC_PER_LSB = 0.0625;

/**
 * TI TMP102: temperature (degC). It has no id register, so the probe reads the configuration
 * register and checks its read-only bits (R1 R0 = 11, the low nibble 0): an ADS1115 at the same
 * address (0x48) fails this. A chip in shutdown mode is woken. Readings come from the temperature
 * register, which converts continuously (4 Hz): 12-bit, or 13-bit in extended mode (EM), two's
 * complement, 0.0625 degC/LSB, left-justified; bit 0 tells the format apart. Registers are
 * big-endian, SMBus words little-endian: every word is swapped.
 */
export class Tmp102Driver implements I2cDriver {
  async open(tx: I2cTransaction): Promise<void> {
    const config = swap16(await tx.readWord(REG_CONFIG));
    if ((config & CONFIG_R1R0) !== CONFIG_R1R0 || (config & 0x000f) !== 0) {
      throw probeFailed(`the configuration register reads ${hex(config, 4)}, not a TMP102's (R1 R0 = 11, expected like 0x60A0)`);
    }
    if ((config & CONFIG_SD) !== 0) await tx.writeWord(REG_CONFIG, swap16(config & ~CONFIG_SD));
  }

  fields(): readonly string[] {
    return ['temperature'];
  }

  async measure(tx: I2cTransaction): Promise<I2cReading> {
    const raw = swap16(await tx.readWord(REG_TEMP));
    const extended = (raw & 0x0001) !== 0;
    // The unused low bits are always 0: anything else is not a temperature register.
    if ((raw & (extended ? 0x0006 : 0x000f)) !== 0) throw garbage(`temperature register ${hex(raw, 4)} has its unused low bits set`);
    const counts = extended ? signed(raw >> 3, 13) : signed(raw >> 4, 12);
    return { temperature: counts * DEGC_PER_LSB };
  }
}
