import { describe, expect, it } from 'vitest';
import { Bme280Driver } from '../../../../../src/sensors/i2c/drivers/bme280.js';
import { FakeBme280 } from '../../../../../src/sensors/i2c/fake/fake-bme280.js';
import { driverHarness, rejection } from '../harness.js';

describe('Bme280Driver', () => {
  it('probes the chip id, reads the calibration and measures every field from the datasheet vector', async () => {
    const chip = new FakeBme280({ adcH: 30000 });
    const { tx, run, bus } = driverHarness(0x76, chip);
    const driver = new Bme280Driver();
    await run(driver.open(tx));
    expect(bus.log.slice(0, 1).map((t) => [t.op, t.command])).toEqual([['readByte', 0xd0]]);
    expect(bus.log.some((t) => t.op === 'readI2cBlock' && t.command === 0x88 && t.got.length === 26)).toBe(true);
    expect(bus.log.some((t) => t.op === 'readI2cBlock' && t.command === 0xe1 && t.got.length === 7)).toBe(true);
    expect(driver.fields()).toEqual(['temperature', 'humidity', 'pressure']);

    const r = await run(driver.measure(tx));
    expect(r['temperature']).toBe(25.08);
    expect(r['pressure']).toBeCloseTo(100653.27, 1);
    expect(r['humidity']).toBeGreaterThan(0);
    expect(r['humidity']).toBeLessThan(100);
    expect(chip.measurements).toBe(1);
  });

  it('writes ctrl_hum before ctrl_meas (forced mode, x1) and waits for the measurement to finish', async () => {
    const chip = new FakeBme280({ measureMs: 13 });
    const { tx, run, bus } = driverHarness(0x76, chip);
    const driver = new Bme280Driver();
    await run(driver.open(tx));
    const start = bus.log.length;
    await run(driver.measure(tx));
    const steps = bus.log.slice(start);
    expect(steps.slice(0, 2).map((t) => [t.op, t.command, t.wrote])).toEqual([
      ['writeByte', 0xf2, [0x01]],
      ['writeByte', 0xf4, [0x25]],
    ]);
    // 13 ms is past the driver's 10 ms wait: it polls status until `measuring` clears.
    const polls = steps.filter((t) => t.op === 'readByte' && t.command === 0xf3);
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.at(-1)?.got).toEqual([0x00]);
    const data = steps.at(-1);
    expect([data?.op, data?.command, data?.got.length]).toEqual(['readI2cBlock', 0xf7, 8]);
    expect((data?.atMs ?? 0) - (steps[1]?.atMs ?? 0)).toBeGreaterThanOrEqual(13);
  });

  it('reads a BMP280 (chip id 0x58): temperature and pressure only', async () => {
    const { tx, run } = driverHarness(0x77, new FakeBme280({ chipId: 0x58 }));
    const driver = new Bme280Driver();
    await run(driver.open(tx));
    expect(driver.fields()).toEqual(['temperature', 'pressure']);
    const r = await run(driver.measure(tx));
    expect(r).toEqual({ temperature: 25.08, pressure: 25767233 / 256 });
  });

  it.each([
    [0x61, /BME680/],
    [0x55, /BMP180/],
    [0x42, /chip id 0x42/],
  ])('refuses chip id %s with SPATIA_I2C_PROBE', async (chipId, message) => {
    const { tx, run } = driverHarness(0x76, new FakeBme280({ chipId }));
    const err = await rejection(run(new Bme280Driver().open(tx)));
    expect(err.code).toBe('SPATIA_I2C_PROBE');
    expect(err.message).toMatch(message);
  });

  it('reports a skipped measurement (0x80000) as garbage', async () => {
    const chip = new FakeBme280();
    const { tx, run } = driverHarness(0x76, chip);
    const driver = new Bme280Driver();
    await run(driver.open(tx));
    chip.adcT = 0x80000;
    const err = await rejection(run(driver.measure(tx)));
    expect([err.status, err.code]).toEqual(['garbage', 'SPATIA_SENSOR_GARBAGE']);
  });

  it('reports unreadable calibration (all zero) as garbage at open', async () => {
    const zero = { T1: 0, T2: 0, T3: 0, P1: 0, P2: 0, P3: 0, P4: 0, P5: 0, P6: 0, P7: 0, P8: 0, P9: 0, H1: 0, H2: 0, H3: 0, H4: 0, H5: 0, H6: 0 };
    const { tx, run } = driverHarness(0x76, new FakeBme280({ calibration: zero }));
    expect((await rejection(run(new Bme280Driver().open(tx)))).code).toBe('SPATIA_SENSOR_GARBAGE');
  });

  it('fails with SPATIA_I2C_IO when `measuring` never clears', async () => {
    const { tx, run } = driverHarness(0x76, new FakeBme280({ measureMs: 1000 }));
    const driver = new Bme280Driver();
    await run(driver.open(tx));
    const err = await rejection(run(driver.measure(tx)));
    expect(err.code).toBe('SPATIA_I2C_IO');
  });
});
