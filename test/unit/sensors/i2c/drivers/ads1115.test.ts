import { describe, expect, it } from 'vitest';
import { Ads1115Driver, ADS1115_GAINS } from '../../../../../src/sensors/i2c/drivers/ads1115.js';
import { FakeAds1115 } from '../../../../../src/sensors/i2c/fake/fake-ads1115.js';
import { driverHarness } from '../harness.js';

async function measure(channel: number, gain: number | undefined, volts: number[]): Promise<{ raw: number | undefined; voltage: number | undefined; wire: readonly number[] | undefined }> {
  const { tx, run, bus } = driverHarness(0x48, new FakeAds1115({ volts }));
  const driver = new Ads1115Driver(channel, gain);
  await run(driver.open(tx));
  const r = await run(driver.measure(tx));
  const write = bus.log.find((t) => t.op === 'writeWord');
  return { raw: r['raw'], voltage: r['voltage'], wire: write?.wrote };
}

describe('Ads1115Driver', () => {
  // Datasheet table 3: full-scale range and LSB size per PGA setting.
  it.each([
    [2 / 3, 6.144, 187.5e-6],
    [1, 4.096, 125e-6],
    [2, 2.048, 62.5e-6],
    [4, 1.024, 31.25e-6],
    [8, 0.512, 15.625e-6],
    [16, 0.256, 7.8125e-6],
  ])('gain %s: FSR ±%s V, 1 LSB = %s V', async (gain, fsr, lsb) => {
    expect(ADS1115_GAINS.find((g) => g.gain === gain)?.fsrV).toBe(fsr);
    const half = await measure(0, gain, [fsr / 2, 0, 0, 0]);
    expect(half.raw).toBe(16384);
    expect(half.voltage).toBeCloseTo(fsr / 2, 12);
    const oneLsb = await measure(0, gain, [lsb, 0, 0, 0]);
    expect(oneLsb.raw).toBe(1);
    expect(oneLsb.voltage).toBeCloseTo(lsb, 12);
  });

  it.each([0, 1, 2, 3])('reads channel %s single-ended against GND', async (channel) => {
    const volts = [0.5, 1.0, 1.5, 2.0];
    const r = await measure(channel, 1, volts);
    expect(r.voltage).toBeCloseTo(volts[channel] ?? NaN, 3);
    expect(r.raw).toBe(Math.round(((volts[channel] ?? 0) * 32768) / 4.096));
  });

  it('writes the config register most significant byte first (OS, MUX, PGA, single-shot, 128 SPS, comparator off)', async () => {
    // channel 0, gain 1: 1 100 001 1 100 0 0 0 11 = 0xC383
    expect((await measure(0, 1, [0, 0, 0, 0])).wire).toEqual([0xc3, 0x83]);
    // channel 3, gain 16: 1 111 101 1 100 0 0 0 11 = 0xFB83
    expect((await measure(3, 16, [0, 0, 0, 0])).wire).toEqual([0xfb, 0x83]);
  });

  it('defaults to gain 1 (±4.096 V)', async () => {
    expect((await measure(0, undefined, [3.3, 0, 0, 0])).raw).toBe(Math.round((3.3 * 32768) / 4.096));
  });

  it('clips at full scale and reads negative codes as negative voltages', async () => {
    expect(await measure(0, 2, [5, 0, 0, 0])).toMatchObject({ raw: 32767 });
    expect(await measure(0, 2, [-62.5e-6, 0, 0, 0])).toMatchObject({ raw: -1, voltage: -62.5e-6 });
  });

  it('waits for the conversion: the result is read only once OS reads 1', async () => {
    const { tx, run, bus } = driverHarness(0x48, new FakeAds1115({ volts: [1, 0, 0, 0] }));
    const driver = new Ads1115Driver(0, 1);
    await run(driver.measure(tx));
    const write = bus.log.find((t) => t.op === 'writeWord');
    const read = bus.log.at(-1);
    expect([read?.op, read?.command]).toEqual(['readWord', 0x00]);
    expect((read?.atMs ?? 0) - (write?.atMs ?? 0)).toBeGreaterThanOrEqual(1000 / 128);
  });
});
