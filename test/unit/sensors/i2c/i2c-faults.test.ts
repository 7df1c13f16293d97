import { describe, expect, it } from 'vitest';
import { FakeBh1750 } from '../../../../src/sensors/i2c/fake/fake-bh1750.js';
import { FakeSht31 } from '../../../../src/sensors/i2c/fake/fake-sht31.js';
import { FakeTmp102 } from '../../../../src/sensors/i2c/fake/fake-tmp102.js';
import { rejection } from './harness.js';
import { Rig } from './rig.js';

const SHT = { device: 'sht31', address: 0x44, field: 'temperature' };
const TMP = { device: 'tmp102', address: 0x48 };

async function openSht(rig: Rig): Promise<ReturnType<Rig['source']>> {
  rig.bus(1).attach(0x44, new FakeSht31({ rawT: 0x6666 }));
  const source = rig.source('sht', SHT);
  await rig.run(source.open());
  return source;
}

describe('I2C faults become SensorFaults', () => {
  it('NACK mid-transaction (after the command was acknowledged) -> SPATIA_I2C_NACK, and the next read works', async () => {
    const rig = new Rig();
    const source = await openSht(rig);
    rig.bus(1).inject({ address: 0x44, op: 'i2cRead', effect: 'EREMOTEIO' });
    const err = await rejection(rig.run(source.read()));
    expect(err).toMatchObject({ status: 'error', code: 'SPATIA_I2C_NACK' });
    expect(err.message).toMatch(/^sht31 at 0x44 on i2c-1: no acknowledge during read\(6\) \(EREMOTEIO\)/);
    const last = rig.bus(1).log.slice(-2);
    expect(last.map((t) => [t.op, t.error])).toEqual([
      ['i2cWrite', undefined],
      ['i2cRead', 'EREMOTEIO'],
    ]);
    expect(await rig.run(source.read())).toBeCloseTo(-45 + (175 * 0x6666) / 65535, 9);
  });

  it.each([
    ['ENXIO', 'SPATIA_I2C_NACK'],
    ['EIO', 'SPATIA_I2C_IO'],
    ['ETIMEDOUT', 'SPATIA_I2C_IO'],
    ['EAGAIN', 'SPATIA_I2C_IO'],
    ['ENODEV', 'SPATIA_I2C_BUS'],
  ])('%s -> %s', async (errno, code) => {
    const rig = new Rig();
    const source = await openSht(rig);
    rig.bus(1).inject({ address: 0x44, effect: errno });
    const err = await rejection(rig.run(source.read()));
    expect(err).toMatchObject({ status: 'error', code });
    expect(err.message).toContain(errno);
  });

  it('a bad CRC is garbage, and counts as a failure but not a bus fault', async () => {
    const rig = new Rig();
    const chip = new FakeSht31();
    rig.bus(1).attach(0x44, chip);
    const source = rig.source('sht', SHT);
    await rig.run(source.open());
    chip.corruptCrcs = 1;
    expect(await rejection(rig.run(source.read()))).toMatchObject({ status: 'garbage', code: 'SPATIA_SENSOR_GARBAGE' });
    expect(typeof (await rig.run(source.read()))).toBe('number');
  });

  it('a stuck bus fails the hung read after the transaction timeout, the next one as "bus busy", and recovers', async () => {
    const rig = new Rig({ transactionTimeoutMs: 500 });
    rig.bus(1).attach(0x48, new FakeTmp102({ counts: 400 })).attach(0x44, new FakeSht31());
    const tmp = rig.source('tmp', TMP);
    const sht = rig.source('sht', SHT);
    await rig.run(Promise.all([tmp.open(), sht.open()]));
    rig.bus(1).inject({ address: 0x48, op: 'readWord', effect: 'stuck' });
    const hung = rejection(tmp.read());
    const queued = rejection(sht.read());
    await rig.timers.advance(500);
    const [a, b] = await Promise.all([hung, queued]);
    expect(a).toMatchObject({ status: 'error', code: 'SPATIA_I2C_IO', message: expect.stringMatching(/tmp102 at 0x48.*ETIMEDOUT.*stuck bus/) as unknown });
    expect(b).toMatchObject({ code: 'SPATIA_I2C_IO', message: expect.stringMatching(/sht31 at 0x44.*busy/) as unknown });
    // Nothing was sent while the transfer hung.
    expect(rig.bus(1).log.at(-1)).toMatchObject({ address: 0x48, error: 'stuck' });
    // The adapter gives up on the transfer; the bus is free again.
    rig.bus(1).unstick();
    await rig.timers.flush();
    expect(await rig.run(tmp.read())).toBe(25);
    expect(typeof (await rig.run(sht.read()))).toBe('number');
  });

  it('a missing bus is SPATIA_I2C_BUS naming how to enable I2C; a forbidden one names the i2c group', async () => {
    const rig = new Rig();
    rig.openError = 'ENOENT';
    const source = rig.source('tmp', TMP);
    const missing = await rejection(rig.run(source.open()));
    expect(missing).toMatchObject({ status: 'error', code: 'SPATIA_I2C_BUS' });
    expect(missing.message).toMatch(/\/dev\/i2c-1 does not exist.*raspi-config.*dtparam=i2c_arm=on/);
    rig.openError = 'EACCES';
    expect((await rejection(rig.run(source.open()))).message).toMatch(/`i2c` group/);
    rig.openError = undefined;
    rig.bus(1).attach(0x48, new FakeTmp102({ counts: 16 }));
    await rig.run(source.open());
    expect(await rig.run(source.read())).toBe(1);
    expect(rig.opened).toEqual([1, 1, 1]);
  });

  it('reopens a bus that failed as a whole (ENODEV: the adapter went away)', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x48, new FakeTmp102({ counts: 32 }));
    const source = rig.source('tmp', TMP);
    await rig.run(source.open());
    const first = rig.bus(1);
    first.inject({ effect: 'ENODEV', times: Infinity });
    expect(await rejection(rig.run(source.read()))).toMatchObject({ code: 'SPATIA_I2C_BUS' });
    expect(await rig.run(source.read())).toBe(2);
    expect(first.closeCount).toBe(1);
    expect(rig.opened).toEqual([1, 1]);
  });
});

describe('backoff', () => {
  it('after 3 failures rejects at once without touching the bus, re-probes after 1 s, 2 s, 4 s, ... up to 60 s', async () => {
    const rig = new Rig();
    const chip = new FakeTmp102({ counts: 400 });
    rig.bus(1).attach(0x48, chip);
    const source = rig.source('tmp', TMP);
    await rig.run(source.open());
    rig.bus(1).detach(0x48);
    const log = rig.bus(1).log;

    for (let i = 0; i < 3; i++) expect((await rejection(rig.run(source.read()))).code).toBe('SPATIA_I2C_NACK');
    for (const delayMs of [1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000]) {
      await rig.timers.advance(delayMs - 1);
      const before = log.length;
      const fast = await rejection(source.read());
      expect(fast).toMatchObject({ status: 'error', code: 'SPATIA_I2C_NACK', message: expect.stringMatching(/backing off.*next attempt in 1 s/) as unknown });
      expect(log.length).toBe(before);
      await rig.timers.advance(1);
      const retried = await rejection(rig.run(source.read()));
      expect(retried.code).toBe('SPATIA_I2C_NACK');
      // The retry starts with a probe (the config register), not a measurement.
      expect(log.slice(before).map((t) => [t.op, t.command])).toEqual([['readWord', 0x01]]);
    }

    // The device comes back: the retry after the backoff re-probes, reads, and resets the policy.
    rig.bus(1).attach(0x48, chip);
    await rig.timers.advance(60000);
    expect(await rig.run(source.read())).toBe(25);
    rig.bus(1).inject({ address: 0x48, effect: 'EIO' });
    expect((await rejection(rig.run(source.read()))).code).toBe('SPATIA_I2C_IO');
    expect(await rig.run(source.read())).toBe(25);
    expect(rig.timers.pending).toBe(0);
  });

  it('shares the backoff between the sensors of one device', async () => {
    const rig = new Rig({ failuresBeforeBackoff: 1 });
    rig.bus(1).attach(0x44, new FakeSht31());
    const t = rig.source('t', SHT);
    const h = rig.source('h', { ...SHT, field: 'humidity' });
    await rig.run(Promise.all([t.open(), h.open()]));
    rig.bus(1).inject({ address: 0x44, effect: 'EIO' });
    expect((await rejection(rig.run(t.read()))).code).toBe('SPATIA_I2C_IO');
    const before = rig.bus(1).log.length;
    expect((await rejection(h.read())).message).toMatch(/backing off/);
    expect(rig.bus(1).log.length).toBe(before);
  });
});

describe('the per-bus lock', () => {
  it('interleaves whole transactions of sensors on one bus, never their steps', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x44, new FakeSht31()).attach(0x45, new FakeSht31()).attach(0x23, new FakeBh1750()).attach(0x48, new FakeTmp102());
    const sources = [
      rig.source('a', { device: 'sht31', address: 0x44, field: 'temperature' }),
      rig.source('b', { device: 'sht31', address: 0x45, field: 'humidity' }),
      rig.source('c', { device: 'bh1750', address: 0x23 }),
      rig.source('d', TMP),
    ];
    await rig.run(Promise.all(sources.map((s) => s.open())));
    const start = rig.bus(1).log.length;
    const rounds = 4;
    for (let i = 0; i < rounds; i++) {
      await rig.run(Promise.all(sources.map((s) => s.read())));
      await rig.timers.advance(100);
    }
    const steps = rig.bus(1).log.slice(start);
    // Split the log into runs of consecutive transfers to one address: each run must be exactly
    // one whole transaction of that device.
    const runs: Array<{ address: number; ops: string[] }> = [];
    for (const t of steps) {
      const last = runs.at(-1);
      if (last?.address === t.address) last.ops.push(t.op);
      else runs.push({ address: t.address, ops: [t.op] });
    }
    const transaction: Record<number, string[]> = {
      0x44: ['i2cWrite', 'i2cRead'],
      0x45: ['i2cWrite', 'i2cRead'],
      0x23: ['i2cWrite', 'i2cWrite', 'i2cRead'],
      0x48: ['readWord'],
    };
    expect(runs).toHaveLength(rounds * 4);
    for (const run of runs) expect(run.ops).toEqual(transaction[run.address]);
  });

  it('serialises one bus but not two: two BH1750s take twice as long on one bus', async () => {
    const elapsed = async (sameBus: boolean): Promise<number> => {
      const rig = new Rig();
      rig.bus(1).attach(0x23, new FakeBh1750());
      rig.bus(2).attach(0x23, new FakeBh1750());
      const a = rig.source('a', { device: 'bh1750', address: 0x23 });
      const b = rig.source('b', { device: 'bh1750', address: 0x23, bus: sameBus ? 1 : 2, ...(sameBus ? { address: 0x5c } : {}) });
      if (sameBus) rig.bus(1).attach(0x5c, new FakeBh1750());
      await rig.run(Promise.all([a.open(), b.open()]));
      const t0 = rig.timers.nowMs();
      await rig.run(Promise.all([a.read(), b.read()]));
      return rig.timers.nowMs() - t0;
    };
    expect(await elapsed(false)).toBe(180);
    expect(await elapsed(true)).toBe(360);
  });
});
