import { describe, expect, it } from 'vitest';
import {
  type Bme280Calibration,
  compensateHumidity,
  compensatePressure,
  compensateTemperature,
  parseBme280Calibration,
} from '../../../../../src/sensors/i2c/drivers/bme280-compensation.js';
import { BME280_DATASHEET_CALIBRATION, FakeBme280 } from '../../../../../src/sensors/i2c/fake/fake-bme280.js';

const CAL = BME280_DATASHEET_CALIBRATION;

/** The datasheet's double-precision humidity formula (BST-BME280-DS002 section 8.1), as a cross-check. */
function humidityDouble(adcH: number, tFine: number, c: Bme280Calibration): number {
  const [H1, H2, H3, H4, H5, H6] = [c.H1 ?? 0, c.H2 ?? 0, c.H3 ?? 0, c.H4 ?? 0, c.H5 ?? 0, c.H6 ?? 0];
  let h = tFine - 76800;
  h = (adcH - (H4 * 64 + (H5 / 16384) * h)) * ((H2 / 65536) * (1 + (H6 / 67108864) * h * (1 + (H3 / 67108864) * h)));
  h = h * (1 - (H1 * h) / 524288);
  return Math.min(100, Math.max(0, h));
}

/** The datasheet's double-precision pressure formula (section 8.1). */
function pressureDouble(adcP: number, tFine: number, c: Bme280Calibration): number {
  let var1 = tFine / 2 - 64000;
  let var2 = (var1 * var1 * c.P6) / 32768;
  var2 = var2 + var1 * c.P5 * 2;
  var2 = var2 / 4 + c.P4 * 65536;
  var1 = ((c.P3 * var1 * var1) / 524288 + c.P2 * var1) / 524288;
  var1 = (1 + var1 / 32768) * c.P1;
  let p = 1048576 - adcP;
  p = ((p - var2 / 4096) * 6250) / var1;
  var1 = (c.P9 * p * p) / 2147483648;
  var2 = (p * c.P8) / 32768;
  return p + (var1 + var2 + c.P7) / 16;
}

describe('BME280 compensation (datasheet integer formulas)', () => {
  it('gives the datasheet example: adc_T 519888 -> t_fine 128422, 25.08 degC', () => {
    expect(compensateTemperature(519888, CAL)).toEqual({ tFine: 128422, celsius: 25.08 });
  });

  it('gives the datasheet example: adc_P 415148 -> 100653.27 Pa', () => {
    const p = compensatePressure(415148, 128422, CAL);
    // The datasheet's 100653.27 comes from its double formulas (with t_fine 128422.2869); the
    // int64 formula's Q24.8 result is 25767233 = 100653.254 Pa, 0.02 Pa from it.
    expect(p).toBeCloseTo(100653.27, 1);
    expect(p).toBe(25767233 / 256);
  });

  it('agrees with the double-precision pressure formula across the range', () => {
    for (const adcP of [250_000, 300_000, 415_148, 500_000, 600_000]) {
      for (const adcT of [400_000, 519_888, 600_000]) {
        const { tFine } = compensateTemperature(adcT, CAL);
        expect(Math.abs((compensatePressure(adcP, tFine, CAL) ?? 0) - pressureDouble(adcP, tFine, CAL))).toBeLessThan(1);
      }
    }
  });

  it('agrees with the double-precision humidity formula to 0.01 %RH, clamped to 0..100', () => {
    for (const adcH of [0, 10_000, 20_000, 30_000, 40_000, 50_000, 65_535]) {
      for (const adcT of [400_000, 519_888, 600_000]) {
        const { tFine } = compensateTemperature(adcT, CAL);
        const h = compensateHumidity(adcH, tFine, CAL) ?? NaN;
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(100);
        expect(Math.abs(h - humidityDouble(adcH, tFine, CAL))).toBeLessThan(0.01);
      }
    }
  });

  it('has no humidity without humidity calibration (BMP280)', () => {
    expect(compensateHumidity(30_000, 128422, { ...CAL, H1: undefined })).toBeUndefined();
  });

  it('returns undefined where the datasheet divides by zero (dig_P1 = 0)', () => {
    expect(compensatePressure(415148, 128422, { ...CAL, P1: 0 })).toBeUndefined();
  });

  it('decodes the register layout, including the 12-bit dig_H4/dig_H5 sharing 0xE5 and negative values', () => {
    const cal: Bme280Calibration = { ...CAL, T3: -1000, P9: -6000, H2: -300, H4: -1234, H5: 987, H6: -30 };
    const regs = new FakeBme280({ calibration: cal }).regs;
    expect(parseBme280Calibration(regs.subarray(0x88, 0xa2), regs.subarray(0xe1, 0xe8))).toEqual(cal);
  });
});
