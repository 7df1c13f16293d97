import { hex } from '../i2c-bus.js';
import type { I2cTransaction } from '../i2c-transaction.js';
import { garbage, type I2cDriver, type I2cReading, probeFailed } from './driver.js';
import { sht3xCrc } from './sht3x-crc.js';

/** Single shot, high repeatability, no clock stretching (datasheet table 9). */
const MEASURE_HIGH = [0x24, 0x00];
const READ_STATUS = [0xf3, 0x2d];
/** tMEAS,h max is 15 ms (table 4); without clock stretching an early read is NACKed. */
const MEASURE_MS = 16;

/**
 * Sensirion SHT31 (SHT30/SHT35 alike): temperature (degC) and relative humidity (%). Probes by
 * reading the status register, whose CRC must check. Each reading is one single-shot
 * measurement: command 0x2400, wait, read six bytes (T, CRC, RH, CRC). A CRC mismatch is
 * `garbage`, never a value.
 */
export class Sht31Driver implements I2cDriver {
  async open(tx: I2cTransaction): Promise<void> {
    await tx.write(READ_STATUS);
    const s = await tx.read(3);
    if (sht3xCrc(s.subarray(0, 2)) !== s[2]) {
      throw probeFailed(`the status register reply ${[...s].map((b) => hex(b)).join(' ')} fails the SHT3x CRC check: not an SHT31?`);
    }
  }

  fields(): readonly string[] {
    return ['temperature', 'humidity'];
  }

  async measure(tx: I2cTransaction): Promise<I2cReading> {
    await tx.write(MEASURE_HIGH);
    await tx.sleep(MEASURE_MS);
    const d = await tx.read(6);
    const word = (i: number): number => ((d[i] ?? 0) << 8) | (d[i + 1] ?? 0);
    for (const [i, what] of [[0, 'temperature'], [3, 'humidity']] as const) {
      const crc = sht3xCrc(d.subarray(i, i + 2));
      if (crc !== d[i + 2]) throw garbage(`${what} CRC mismatch (got ${hex(d[i + 2] ?? 0)}, computed ${hex(crc)})`);
    }
    // Datasheet section 4.13: T = -45 + 175 * S_T / (2^16 - 1), RH = 100 * S_RH / (2^16 - 1).
    return { temperature: -45 + (175 * word(0)) / 65535, humidity: (100 * word(3)) / 65535 };
  }
}
