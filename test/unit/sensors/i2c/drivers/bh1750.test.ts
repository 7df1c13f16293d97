import { describe, expect, it } from 'vitest';
import { Bh1750Driver } from '../../../../../src/sensors/i2c/drivers/bh1750.js';
import { FakeBh1750 } from '../../../../../src/sensors/i2c/fake/fake-bh1750.js';
import { driverHarness } from '../harness.js';

describe('Bh1750Driver', () => {
  it('gives the datasheet example: 0x8390 -> 28067 lx', async () => {
    const { tx, run } = driverHarness(0x23, new FakeBh1750({ raw: 0x8390 }));
    const driver = new Bh1750Driver();
    await run(driver.open(tx));
    const r = await run(driver.measure(tx));
    expect(r['illuminance']).toBeCloseTo(33680 / 1.2, 6);
    expect(Math.round(r['illuminance'] ?? 0)).toBe(28067);
  });

  it('powers on, starts a one-time H-resolution measurement and waits the 180 ms maximum before reading', async () => {
    const chip = new FakeBh1750({ raw: 1200, measureMs: 179 });
    const { tx, run, bus } = driverHarness(0x23, chip);
    const driver = new Bh1750Driver();
    await run(driver.open(tx));
    const start = bus.log.length;
    const r = await run(driver.measure(tx));
    expect(chip.commands.slice(-2)).toEqual([0x01, 0x20]);
    const steps = bus.log.slice(start);
    expect(steps.map((t) => t.op)).toEqual(['i2cWrite', 'i2cWrite', 'i2cRead']);
    expect((steps[2]?.atMs ?? 0) - (steps[1]?.atMs ?? 0)).toBeGreaterThanOrEqual(180);
    expect(r['illuminance']).toBe(1000);
    expect(chip.powered).toBe(false);
  });

  it('reads 0 lx in the dark and 54612.5 lx at saturation', async () => {
    for (const [raw, lux] of [
      [0, 0],
      [0xffff, 65535 / 1.2],
    ] as const) {
      const { tx, run } = driverHarness(0x23, new FakeBh1750({ raw }));
      expect((await run(new Bh1750Driver().measure(tx)))['illuminance']).toBeCloseTo(lux, 6);
    }
  });
});
