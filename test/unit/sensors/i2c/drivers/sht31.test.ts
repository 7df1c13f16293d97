import { describe, expect, it } from 'vitest';
import { sht3xCrc } from '../../../../../src/sensors/i2c/drivers/sht3x-crc.js';
import { Sht31Driver } from '../../../../../src/sensors/i2c/drivers/sht31.js';
import { FakeSht31 } from '../../../../../src/sensors/i2c/fake/fake-sht31.js';
import { driverHarness, rejection } from '../harness.js';

describe('SHT3x CRC-8', () => {
  it('gives the datasheet example: 0xBEEF -> 0x92', () => {
    expect(sht3xCrc([0xbe, 0xef])).toBe(0x92);
  });

  it('is 0xFF-initialised (empty input) and catches single-bit errors', () => {
    expect(sht3xCrc([])).toBe(0xff);
    expect(sht3xCrc([0xbe, 0xee])).not.toBe(0x92);
  });
});

describe('Sht31Driver', () => {
  it.each([
    [0x0000, 0x0000, -45, 0],
    [0xffff, 0xffff, 130, 100],
    [0x6666, 0x8000, -45 + (175 * 0x6666) / 65535, (100 * 0x8000) / 65535],
  ])('converts raw T %s / RH %s per the datasheet', async (rawT, rawRH, t, rh) => {
    const chip = new FakeSht31({ rawT, rawRH });
    const { tx, run } = driverHarness(0x44, chip);
    const driver = new Sht31Driver();
    await run(driver.open(tx));
    const r = await run(driver.measure(tx));
    expect(r['temperature']).toBeCloseTo(t, 10);
    expect(r['humidity']).toBeCloseTo(rh, 10);
  });

  it('sends 0x2400, waits out the 15 ms measurement (an early read would be NACKed), reads 6 bytes', async () => {
    const chip = new FakeSht31({ measureMs: 15 });
    chip.setReadings(21.5, 40);
    const { tx, run, bus } = driverHarness(0x44, chip);
    const driver = new Sht31Driver();
    await run(driver.open(tx));
    const start = bus.log.length;
    const r = await run(driver.measure(tx));
    const [cmd, read] = bus.log.slice(start);
    expect([cmd?.op, cmd?.wrote]).toEqual(['i2cWrite', [0x24, 0x00]]);
    expect([read?.op, read?.got.length, read?.error]).toEqual(['i2cRead', 6, undefined]);
    expect((read?.atMs ?? 0) - (cmd?.atMs ?? 0)).toBeGreaterThanOrEqual(15);
    expect(r['temperature']).toBeCloseTo(21.5, 2);
    expect(r['humidity']).toBeCloseTo(40, 2);
  });

  it('probes with the status register and refuses a reply whose CRC fails', async () => {
    const chip = new FakeSht31();
    chip.corruptCrcs = 1;
    const { tx, run, bus } = driverHarness(0x44, chip);
    const err = await rejection(run(new Sht31Driver().open(tx)));
    expect(bus.log[0]?.wrote).toEqual([0xf3, 0x2d]);
    expect(err.code).toBe('SPATIA_I2C_PROBE');
  });

  it('reports a bad CRC in a measurement as garbage, never as a value', async () => {
    const chip = new FakeSht31();
    const { tx, run } = driverHarness(0x44, chip);
    const driver = new Sht31Driver();
    await run(driver.open(tx));
    chip.corruptCrcs = 2; // the temperature word's CRC is bad
    const err = await rejection(run(driver.measure(tx)));
    expect([err.status, err.code]).toEqual(['garbage', 'SPATIA_SENSOR_GARBAGE']);
    expect(err.message).toMatch(/temperature CRC mismatch/);
  });
});
