import type { Bme280Calibration } from '../drivers/bme280-compensation.js';
import type { FakeI2cDevice } from './fake-i2c-device.js';

/**
 * The trimming parameters and raw readings of the datasheet's worked example (BMP280 datasheet
 * BST-BMP280-DS001 section 3.12, the same formulas as the BME280): adc_T 519888 -> 25.08 degC,
 * adc_P 415148 -> 100653.27 Pa. The BME280 datasheet gives no humidity example; the humidity
 * parameters are a real chip's.
 */
export const BME280_DATASHEET_CALIBRATION: Bme280Calibration = {
  T1: 27504,
  T2: 26435,
  T3: -1000,
  P1: 36477,
  P2: -10685,
  P3: 3024,
  P4: 2855,
  P5: 140,
  P6: -7,
  P7: 15500,
  P8: -14600,
  P9: 6000,
  H1: 75,
  H2: 362,
  H3: 0,
  H4: 313,
  H5: 50,
  H6: 30,
};

export interface FakeBme280Options {
  /** 0x60 (BME280, default), 0x58 (BMP280: no humidity registers) or anything else. */
  readonly chipId?: number;
  readonly calibration?: Bme280Calibration;
  /** Raw ADC values a measurement produces (default: the datasheet example, adc_H 30000). */
  readonly adcT?: number;
  readonly adcP?: number;
  readonly adcH?: number;
  /** How long a forced measurement takes (default 8 ms, under the driver's 10 ms wait). */
  readonly measureMs?: number;
}

const SKIPPED: readonly number[] = [0x80, 0x00, 0x00, 0x80, 0x00, 0x00, 0x80, 0x00];

/**
 * A BME280 (or BMP280) register map: chip id, calibration in NVM layout, ctrl_hum latched by a
 * ctrl_meas write, forced mode with `measuring` set for `measureMs`, data registers updated at the
 * end of a measurement (0x80000/0x8000 for a quantity whose oversampling is 0), soft reset.
 * Reads auto-increment the register pointer; writes are (register, value) pairs as on the chip.
 */
export class FakeBme280 implements FakeI2cDevice {
  readonly regs = new Uint8Array(256);
  private pointer = 0;
  private measuringUntilMs: number | undefined;
  private latchedHum = 0;
  readonly humidity: boolean;
  adcT: number;
  adcP: number;
  adcH: number;
  readonly measureMs: number;
  /** ctrl_meas writes that started a measurement. */
  measurements = 0;

  constructor(options: FakeBme280Options = {}) {
    const chipId = options.chipId ?? 0x60;
    this.humidity = chipId === 0x60;
    this.adcT = options.adcT ?? 519888;
    this.adcP = options.adcP ?? 415148;
    this.adcH = options.adcH ?? 30000;
    this.measureMs = options.measureMs ?? 8;
    this.regs[0xd0] = chipId;
    encodeCalibration(this.regs, options.calibration ?? BME280_DATASHEET_CALIBRATION, this.humidity);
    this.reset();
  }

  write(bytes: Uint8Array, nowMs: number): void {
    this.settle(nowMs);
    if (bytes.length === 1) this.pointer = bytes[0] ?? 0;
    for (let i = 0; i + 1 < bytes.length; i += 2) this.writeRegister(bytes[i] ?? 0, bytes[i + 1] ?? 0, nowMs);
  }

  read(length: number, nowMs: number): Uint8Array {
    this.settle(nowMs);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      out[i] = this.readRegister(this.pointer);
      this.pointer = (this.pointer + 1) & 0xff;
    }
    return out;
  }

  private readRegister(reg: number): number {
    if (reg === 0xf3) return this.measuringUntilMs !== undefined ? 0x08 : 0x00;
    if (!this.humidity && (reg === 0xf2 || reg >= 0xfd || (reg >= 0xe1 && reg <= 0xe7))) return 0x00;
    return this.regs[reg] ?? 0;
  }

  private writeRegister(reg: number, value: number, nowMs: number): void {
    if (reg === 0xe0 && value === 0xb6) this.reset();
    else if (reg === 0xf2 && this.humidity) this.regs[0xf2] = value & 0x07;
    else if (reg === 0xf5) this.regs[0xf5] = value & 0xfd;
    else if (reg === 0xf4) {
      this.regs[0xf4] = value;
      this.latchedHum = this.regs[0xf2] ?? 0;
      const mode = value & 0x03;
      if (mode === 0x01 || mode === 0x02) {
        this.measurements += 1;
        this.measuringUntilMs = nowMs + this.measureMs;
      }
    }
    // Everything else is read-only.
  }

  private settle(nowMs: number): void {
    if (this.measuringUntilMs === undefined || nowMs < this.measuringUntilMs) return;
    this.measuringUntilMs = undefined;
    const meas = this.regs[0xf4] ?? 0;
    const t = (meas >> 5) & 0x07 ? this.adcT : 0x80000;
    const p = (meas >> 2) & 0x07 ? this.adcP : 0x80000;
    const h = this.latchedHum & 0x07 ? this.adcH : 0x8000;
    this.regs.set([(p >> 12) & 0xff, (p >> 4) & 0xff, (p << 4) & 0xf0, (t >> 12) & 0xff, (t >> 4) & 0xff, (t << 4) & 0xf0, (h >> 8) & 0xff, h & 0xff], 0xf7);
    // Forced mode returns to sleep after one measurement.
    this.regs[0xf4] = meas & 0xfc;
  }

  private reset(): void {
    this.regs[0xf2] = 0;
    this.regs[0xf4] = 0;
    this.regs[0xf5] = 0;
    this.regs.set(SKIPPED, 0xf7);
    this.measuringUntilMs = undefined;
  }
}

function encodeCalibration(regs: Uint8Array, c: Bme280Calibration, humidity: boolean): void {
  const words = [c.T1, c.T2, c.T3, c.P1, c.P2, c.P3, c.P4, c.P5, c.P6, c.P7, c.P8, c.P9];
  words.forEach((w, i) => {
    regs[0x88 + 2 * i] = w & 0xff;
    regs[0x89 + 2 * i] = (w >> 8) & 0xff;
  });
  if (!humidity) return;
  const { H1 = 0, H2 = 0, H3 = 0, H4 = 0, H5 = 0, H6 = 0 } = c;
  regs[0xa1] = H1 & 0xff;
  regs[0xe1] = H2 & 0xff;
  regs[0xe2] = (H2 >> 8) & 0xff;
  regs[0xe3] = H3 & 0xff;
  regs[0xe4] = (H4 >> 4) & 0xff;
  regs[0xe5] = ((H5 & 0x0f) << 4) | (H4 & 0x0f);
  regs[0xe6] = (H5 >> 4) & 0xff;
  regs[0xe7] = H6 & 0xff;
}
