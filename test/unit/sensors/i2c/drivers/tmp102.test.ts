import { describe, expect, it } from 'vitest';
import { Tmp102Driver } from '../../../../../src/sensors/i2c/drivers/tmp102.js';
import { FakeAds1115 } from '../../../../../src/sensors/i2c/fake/fake-ads1115.js';
import { FakeTmp102 } from '../../../../../src/sensors/i2c/fake/fake-tmp102.js';
import { driverHarness, rejection } from '../harness.js';

// TMP102 datasheet, "Temperature Data Format" tables: the digital output (12-bit, and 13-bit in
// extended mode) for a temperature.
const TABLE_12: ReadonlyArray<readonly [number, number]> = [
  [127.9375, 0x7ff],
  [100, 0x640],
  [80, 0x500],
  [75, 0x4b0],
  [50, 0x320],
  [25, 0x190],
  [0.25, 0x004],
  [0, 0x000],
  [-0.25, 0xffc],
  [-25, 0xe70],
  [-55, 0xc90],
];
const TABLE_13: ReadonlyArray<readonly [number, number]> = [
  [150, 0x0960],
  [128, 0x0800],
  [127.9375, 0x07ff],
  [100, 0x0640],
  [25, 0x0190],
  [0.0625, 0x0001],
  [0, 0x0000],
  [-0.0625, 0x1fff],
  [-0.25, 0x1ffc],
  [-25, 0x1e70],
  [-55, 0x1c90],
];

async function readWith(counts: number, config?: number): Promise<number | undefined> {
  const { tx, run } = driverHarness(0x48, new FakeTmp102({ counts, ...(config === undefined ? {} : { config }) }));
  const driver = new Tmp102Driver();
  await run(driver.open(tx));
  return (await run(driver.measure(tx)))['temperature'];
}

describe('Tmp102Driver', () => {
  it.each(TABLE_12)('12-bit: %s degC from %s', async (celsius, code) => {
    expect(await readWith(code)).toBe(celsius);
  });

  it.each(TABLE_13)('13-bit extended mode: %s degC from %s', async (celsius, code) => {
    expect(await readWith(code, 0x60b0)).toBe(celsius);
  });

  it('swaps the little-endian SMBus word into the big-endian register', async () => {
    const { tx, run, bus } = driverHarness(0x48, new FakeTmp102({ counts: 0x190 }));
    const driver = new Tmp102Driver();
    await run(driver.open(tx));
    await run(driver.measure(tx));
    const read = bus.log.at(-1);
    expect([read?.op, read?.command, read?.got]).toEqual(['readWord', 0x00, [0x19, 0x00]]);
  });

  it('reports a temperature register with its unused low bits set as garbage', async () => {
    const notATmp102 = { write: () => undefined, read: (n: number) => Uint8Array.from([0x19, 0x06].slice(0, n)) };
    const { tx, run } = driverHarness(0x48, notATmp102);
    const err = await rejection(run(new Tmp102Driver().measure(tx)));
    expect([err.status, err.code]).toEqual(['garbage', 'SPATIA_SENSOR_GARBAGE']);
  });

  it('wakes a chip left in shutdown mode', async () => {
    const chip = new FakeTmp102({ counts: 0x190, config: 0x61a0 });
    const { tx, run } = driverHarness(0x48, chip);
    await run(new Tmp102Driver().open(tx));
    expect(chip.config & 0x0100).toBe(0);
  });

  it('refuses an ADS1115 answering at 0x48 (its config register is not a TMP102 one)', async () => {
    const { tx, run } = driverHarness(0x48, new FakeAds1115());
    const err = await rejection(run(new Tmp102Driver().open(tx)));
    expect(err.code).toBe('SPATIA_I2C_PROBE');
    expect(err.message).toMatch(/0x8583/);
  });
});
