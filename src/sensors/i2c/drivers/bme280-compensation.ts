import { signed } from './driver.js';

/**
 * BME280 / BMP280 trimming parameters (datasheet BST-BME280-DS002 table 16). The humidity ones
 * are undefined for a BMP280, which has no humidity sensor.
 */
export interface Bme280Calibration {
  readonly T1: number;
  readonly T2: number;
  readonly T3: number;
  readonly P1: number;
  readonly P2: number;
  readonly P3: number;
  readonly P4: number;
  readonly P5: number;
  readonly P6: number;
  readonly P7: number;
  readonly P8: number;
  readonly P9: number;
  readonly H1: number | undefined;
  readonly H2: number | undefined;
  readonly H3: number | undefined;
  readonly H4: number | undefined;
  readonly H5: number | undefined;
  readonly H6: number | undefined;
}

const u16 = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const s16 = (b: Uint8Array, i: number): number => signed(u16(b, i), 16);
const s8 = (b: Uint8Array, i: number): number => signed(b[i] ?? 0, 8);

/**
 * Decodes the calibration registers: `tp` is 0x88..0xA1 (26 bytes, little-endian words; 0xA1 is
 * dig_H1), `h` is 0xE1..0xE7 (7 bytes; dig_H4 and dig_H5 are 12-bit values sharing 0xE5), or
 * undefined for a BMP280.
 */
export function parseBme280Calibration(tp: Uint8Array, h: Uint8Array | undefined): Bme280Calibration {
  const e5 = h?.[4] ?? 0;
  return {
    T1: u16(tp, 0),
    T2: s16(tp, 2),
    T3: s16(tp, 4),
    P1: u16(tp, 6),
    P2: s16(tp, 8),
    P3: s16(tp, 10),
    P4: s16(tp, 12),
    P5: s16(tp, 14),
    P6: s16(tp, 16),
    P7: s16(tp, 18),
    P8: s16(tp, 20),
    P9: s16(tp, 22),
    H1: h && (tp[25] ?? 0),
    H2: h && s16(h, 0),
    H3: h && (h[2] ?? 0),
    H4: h && s8(h, 3) * 16 + (e5 & 0x0f),
    H5: h && s8(h, 5) * 16 + (e5 >> 4),
    H6: h && s8(h, 6),
  };
}

/**
 * The datasheet's integer compensation (BST-BME280-DS002 section 4.2.3, the same code as the
 * BMP280 datasheet section 3.11.3): BME280_compensate_T_int32, BME280_compensate_P_int64 and
 * bme280_compensate_H_int32, transcribed statement by statement.
 *
 * Why this is exact in JavaScript: every int32 product below stays under 2^53 (an operand of
 * each product is a right-shifted value), so it is computed exactly, and `>>` / `| 0` reduce
 * modulo 2^32 exactly where C's two's complement int32 arithmetic would wrap. The int64
 * pressure formula runs on BigInt; its `/` truncates toward zero and `>>` floors, as C does.
 */
export function compensateTemperature(adcT: number, c: Bme280Calibration): { readonly tFine: number; readonly celsius: number } {
  const var1 = (((adcT >> 3) - (c.T1 << 1)) * c.T2) >> 11;
  const d = (adcT >> 4) - c.T1;
  const var2 = (((d * d) >> 12) * c.T3) >> 14;
  const tFine = (var1 + var2) | 0;
  // T in 0.01 degC ("5123" is 51.23 degC).
  const centi = (tFine * 5 + 128) >> 8;
  return { tFine, celsius: centi / 100 };
}

/** Pressure in Pa (from the Q24.8 result), or undefined where the datasheet returns 0 (var1 = 0). */
export function compensatePressure(adcP: number, tFine: number, c: Bme280Calibration): number | undefined {
  let var1 = BigInt(tFine) - 128000n;
  let var2 = var1 * var1 * BigInt(c.P6);
  var2 = var2 + ((var1 * BigInt(c.P5)) << 17n);
  var2 = var2 + (BigInt(c.P4) << 35n);
  var1 = ((var1 * var1 * BigInt(c.P3)) >> 8n) + ((var1 * BigInt(c.P2)) << 12n);
  var1 = (((1n << 47n) + var1) * BigInt(c.P1)) >> 33n;
  if (var1 === 0n) return undefined;
  let p = 1048576n - BigInt(adcP);
  p = (((p << 31n) - var2) * 3125n) / var1;
  var1 = (BigInt(c.P9) * (p >> 13n) * (p >> 13n)) >> 25n;
  var2 = (BigInt(c.P8) * p) >> 19n;
  p = ((p + var1 + var2) >> 8n) + (BigInt(c.P7) << 4n);
  return Number(p) / 256;
}

/** Relative humidity in %RH (from the Q22.10 result, clamped to 0..100 by the formula). */
export function compensateHumidity(adcH: number, tFine: number, c: Bme280Calibration): number | undefined {
  const { H1, H2, H3, H4, H5, H6 } = c;
  if (H1 === undefined || H2 === undefined || H3 === undefined || H4 === undefined || H5 === undefined || H6 === undefined) {
    return undefined;
  }
  let v = (tFine - 76800) | 0;
  v =
    ((((adcH << 14) - (H4 << 20) - H5 * v + 16384) >> 15) *
      (((((((v * H6) >> 10) * (((v * H3) >> 11) + 32768)) >> 10) + 2097152) * H2 + 8192) >> 14)) |
    0;
  v = (v - (((((v >> 15) * (v >> 15)) >> 7) * H1) >> 4)) | 0;
  v = v < 0 ? 0 : v > 419430400 ? 419430400 : v;
  return (v >> 12) / 1024;
}
