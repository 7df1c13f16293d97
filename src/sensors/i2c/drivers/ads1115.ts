import { SensorFault } from '../../live/source.js';
import { hex, swap16 } from '../i2c-bus.js';
import type { I2cTransaction } from '../i2c-transaction.js';
import { type I2cDriver, type I2cReading, signed } from './driver.js';

const REG_CONVERSION = 0x00;
const REG_CONFIG = 0x01;

/** PGA setting per gain: the full-scale range in volts and the PGA[2:0] bits (datasheet table 8). */
export const ADS1115_GAINS: ReadonlyArray<{ readonly gain: number; readonly fsrV: number; readonly pga: number }> = [
  { gain: 2 / 3, fsrV: 6.144, pga: 0b000 },
  { gain: 1, fsrV: 4.096, pga: 0b001 },
  { gain: 2, fsrV: 2.048, pga: 0b010 },
  { gain: 4, fsrV: 1.024, pga: 0b011 },
  { gain: 8, fsrV: 0.512, pga: 0b100 },
  { gain: 16, fsrV: 0.256, pga: 0b101 },
];

/**
 * The default gain: 1, ±4.096 V. It spans the whole 0..3.3 V input range of a board powered from
 * a Pi's 3.3 V rail (the inputs must stay within VDD + 0.3 V) at the finest resolution that does
 * not clip; a 5 V powered board measuring up to 5 V needs `gain: 2/3`.
 */
export const ADS1115_DEFAULT_GAIN = 1;

const OS_START = 0x8000;
const MODE_SINGLE = 0x0100;
const DR_128SPS = 0b100 << 5; // the power-on data rate: 7.8 ms per conversion
const COMP_DISABLED = 0b11;
const CONVERSION_MS = Math.ceil(1000 / 128) + 1;
const POLL_MS = 2;
const POLLS = 5;

/**
 * TI ADS1115 16-bit ADC, one single-ended input (AINn vs GND): fields `voltage` (V) and `raw`
 * (the signed conversion code). Each reading is one single-shot conversion: write the config
 * register (OS, MUX, PGA, single-shot, 128 SPS, comparator off), wait the conversion time, poll
 * OS until the conversion is done, read the conversion register. Registers are big-endian; SMBus
 * words are swapped. voltage = raw * FSR / 32768.
 *
 * The chip has no id register: the probe is a read of the config register (the device must
 * acknowledge it).
 */
export class Ads1115Driver implements I2cDriver {
  private readonly config: number;
  private readonly fsrV: number;

  constructor(
    readonly channel: number,
    gain: number = ADS1115_DEFAULT_GAIN,
  ) {
    const setting = ADS1115_GAINS.find((g) => Math.abs(g.gain - gain) < 1e-6);
    if (setting === undefined || !Number.isInteger(channel) || channel < 0 || channel > 3) {
      throw new Error(`ads1115: channel ${channel} / gain ${gain} out of range`);
    }
    this.fsrV = setting.fsrV;
    this.config = OS_START | ((0b100 | channel) << 12) | (setting.pga << 9) | MODE_SINGLE | DR_128SPS | COMP_DISABLED;
  }

  async open(tx: I2cTransaction): Promise<void> {
    await tx.readWord(REG_CONFIG);
  }

  fields(): readonly string[] {
    return ['voltage', 'raw'];
  }

  async measure(tx: I2cTransaction): Promise<I2cReading> {
    await tx.writeWord(REG_CONFIG, swap16(this.config));
    await tx.sleep(CONVERSION_MS);
    let config = swap16(await tx.readWord(REG_CONFIG));
    for (let i = 0; i < POLLS && (config & OS_START) === 0; i++) {
      await tx.sleep(POLL_MS);
      config = swap16(await tx.readWord(REG_CONFIG));
    }
    if ((config & OS_START) === 0) {
      throw new SensorFault('error', 'SPATIA_I2C_IO', `the conversion did not finish within ${CONVERSION_MS + POLLS * POLL_MS} ms (config ${hex(config, 4)})`);
    }
    const raw = signed(swap16(await tx.readWord(REG_CONVERSION)), 16);
    return { raw, voltage: (raw * this.fsrV) / 32768 };
  }
}
