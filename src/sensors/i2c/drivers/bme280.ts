import { SensorFault } from '../../live/source.js';
import { hex } from '../i2c-bus.js';
import type { I2cTransaction } from '../i2c-transaction.js';
import { type Bme280Calibration, compensateHumidity, compensatePressure, compensateTemperature, parseBme280Calibration } from './bme280-compensation.js';
import { garbage, type I2cDriver, type I2cReading, probeFailed } from './driver.js';

const REG_CALIB_TP = 0x88; // 0x88..0xA1: dig_T*, dig_P*, (0xA1) dig_H1
const REG_CALIB_H = 0xe1; // 0xE1..0xE7: dig_H2..dig_H6
const REG_CHIP_ID = 0xd0;
const REG_CTRL_HUM = 0xf2;
const REG_STATUS = 0xf3;
const REG_CTRL_MEAS = 0xf4;
const REG_CONFIG = 0xf5;
const REG_DATA = 0xf7; // press[3] temp[3] hum[2]

export const BME280_CHIP_ID = 0x60;
/** 0x58 is the BMP280; 0x56 and 0x57 are its engineering samples (as the Linux driver accepts). */
export const BMP280_CHIP_IDS: readonly number[] = [0x56, 0x57, 0x58];

const STATUS_MEASURING = 0x08;
const STATUS_IM_UPDATE = 0x01;
// Oversampling x1 for every quantity, forced mode, filter off: the datasheet's "weather
// monitoring" setting (section 3.5.1), lowest power and plenty for a polled sensor.
const CTRL_HUM_X1 = 0x01;
const CTRL_MEAS_FORCED_X1 = (0b001 << 5) | (0b001 << 2) | 0b01;
const CTRL_MEAS_SLEEP = 0x00;
/** t_measure,max with x1 oversampling of T, P and H: 1.25 + 2.3 + 2.875 + 2.875 = 9.3 ms (section 9.1). */
const MEASURE_MS = 10;
const POLL_MS = 2;
const POLLS = 5;
const SKIPPED_20 = 0x80000;
const SKIPPED_16 = 0x8000;

const OTHER_CHIPS: Readonly<Record<number, string>> = { 0x61: 'a BME680/BME688', 0x55: 'a BMP180/BMP085', 0x50: 'a BMP388' };

/**
 * Bosch BME280 (temperature, humidity, pressure), also reading a BMP280 (no humidity). Probes the
 * chip id (0xD0), reads the trimming parameters once, then takes each reading as one forced-mode
 * measurement: write ctrl_hum and ctrl_meas, wait the maximum measurement time, poll `measuring`,
 * burst-read 0xF7.. so the three values come from the same conversion. Fields: temperature (degC),
 * pressure (Pa), humidity (%), compensated with the datasheet's integer formulas.
 */
export class Bme280Driver implements I2cDriver {
  private cal: Bme280Calibration | undefined;
  private humidity = true;

  async open(tx: I2cTransaction): Promise<void> {
    const id = await tx.readByte(REG_CHIP_ID);
    if (id === BME280_CHIP_ID) this.humidity = true;
    else if (BMP280_CHIP_IDS.includes(id)) this.humidity = false;
    else {
      const other = OTHER_CHIPS[id];
      throw probeFailed(`chip id ${hex(id)} (register 0xD0) is not a BME280 (0x60) or BMP280 (0x58)${other ? `: it looks like ${other}` : ''}`);
    }
    // After power-up the chip copies its trimming parameters from NVM (im_update): wait for that.
    for (let i = 0; i < POLLS && ((await tx.readByte(REG_STATUS)) & STATUS_IM_UPDATE) !== 0; i++) await tx.sleep(POLL_MS);
    const tp = await tx.readBlock(REG_CALIB_TP, 26);
    const h = this.humidity ? await tx.readBlock(REG_CALIB_H, 7) : undefined;
    const cal = parseBme280Calibration(tp, h);
    if (cal.T1 === 0 || cal.P1 === 0 || cal.T1 === 0xffff || cal.P1 === 0xffff) {
      throw garbage(`calibration registers read as ${hex(tp[0] ?? 0)} ${hex(tp[1] ?? 0)}...: the trimming parameters are unreadable`);
    }
    // Sleep mode first: config is only written reliably in sleep mode (section 5.4.6).
    await tx.writeByte(REG_CTRL_MEAS, CTRL_MEAS_SLEEP);
    await tx.writeByte(REG_CONFIG, 0x00);
    this.cal = cal;
  }

  fields(): readonly string[] {
    return this.humidity ? ['temperature', 'humidity', 'pressure'] : ['temperature', 'pressure'];
  }

  async measure(tx: I2cTransaction): Promise<I2cReading> {
    const cal = this.cal;
    if (cal === undefined) throw new Error('bme280: measure before open');
    // ctrl_hum only takes effect with the next ctrl_meas write (section 5.4.3), and a chip that
    // was power-cycled since open has lost it: write both every time.
    if (this.humidity) await tx.writeByte(REG_CTRL_HUM, CTRL_HUM_X1);
    await tx.writeByte(REG_CTRL_MEAS, CTRL_MEAS_FORCED_X1);
    await tx.sleep(MEASURE_MS);
    let status = await tx.readByte(REG_STATUS);
    for (let i = 0; i < POLLS && (status & STATUS_MEASURING) !== 0; i++) {
      await tx.sleep(POLL_MS);
      status = await tx.readByte(REG_STATUS);
    }
    if ((status & STATUS_MEASURING) !== 0) {
      throw new SensorFault('error', 'SPATIA_I2C_IO', `the measurement did not finish within ${MEASURE_MS + POLLS * POLL_MS} ms (status ${hex(status)})`);
    }
    const d = await tx.readBlock(REG_DATA, this.humidity ? 8 : 6);
    const at = (i: number): number => d[i] ?? 0;
    if (d.every((b) => b === 0xff)) throw garbage('the data registers read as all 0xFF');
    const adcP = (at(0) << 12) | (at(1) << 4) | (at(2) >> 4);
    const adcT = (at(3) << 12) | (at(4) << 4) | (at(5) >> 4);
    if (adcT === SKIPPED_20) throw garbage('temperature measurement skipped (0x80000): the chip was not configured');
    if (adcP === SKIPPED_20) throw garbage('pressure measurement skipped (0x80000): the chip was not configured');
    const { tFine, celsius } = compensateTemperature(adcT, cal);
    const pressure = compensatePressure(adcP, tFine, cal);
    if (pressure === undefined) throw garbage('pressure compensation divides by zero (bad calibration)');
    if (!this.humidity) return { temperature: celsius, pressure };
    const adcH = (at(6) << 8) | at(7);
    if (adcH === SKIPPED_16) throw garbage('humidity measurement skipped (0x8000): the chip was not configured');
    const humidity = compensateHumidity(adcH, tFine, cal);
    if (humidity === undefined) throw garbage('no humidity calibration');
    return { temperature: celsius, pressure, humidity };
  }
}
