import { describe, expect, it } from 'vitest';
import { FakeAds1115 } from '../../../../src/sensors/i2c/fake/fake-ads1115.js';
import { FakeBh1750 } from '../../../../src/sensors/i2c/fake/fake-bh1750.js';
import { FakeBme280 } from '../../../../src/sensors/i2c/fake/fake-bme280.js';
import { FakeI2cBus } from '../../../../src/sensors/i2c/fake/fake-i2c-bus.js';
import type { FakeI2cDevice } from '../../../../src/sensors/i2c/fake/fake-i2c-device.js';
import { FakeSht31 } from '../../../../src/sensors/i2c/fake/fake-sht31.js';
import { FakeTmp102 } from '../../../../src/sensors/i2c/fake/fake-tmp102.js';
import { I2cBuses } from '../../../../src/sensors/i2c/i2c-buses.js';
import { createI2cSource } from '../../../../src/sensors/i2c/i2c-source.js';
import { rejection } from './harness.js';
import { i2cSensor, Rig } from './rig.js';

const BME_T = 25.08;
const BME_P = 25767233 / 256;

describe('createI2cSource: every field of every driver', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, () => FakeI2cDevice, number, string | undefined, number]> = [
    ['bme280 temperature', { device: 'bme280', address: 0x76, field: 'temperature' }, () => new FakeBme280(), BME_T, undefined, 1e-9],
    ['bme280 temperature in degF', { device: 'bme280', address: 0x76, field: 'temperature' }, () => new FakeBme280(), (BME_T * 9) / 5 + 32, 'degF', 1e-9],
    ['bme280 temperature in K', { device: 'bme280', address: 0x76, field: 'temperature' }, () => new FakeBme280(), BME_T + 273.15, 'K', 1e-9],
    ['bme280 pressure', { device: 'bme280', address: 0x76, field: 'pressure' }, () => new FakeBme280(), BME_P, 'Pa', 1e-9],
    ['bme280 pressure in hPa', { device: 'bme280', address: 0x76, field: 'pressure' }, () => new FakeBme280(), BME_P / 100, 'hPa', 1e-9],
    ['bme280 humidity', { device: 'bme280', address: 0x76, field: 'humidity' }, () => new FakeBme280({ adcH: 0 }), 0, '%', 1e-9],
    ['sht31 temperature', { device: 'sht31', address: 0x44, field: 'temperature' }, () => new FakeSht31({ rawT: 0x6666 }), -45 + (175 * 0x6666) / 65535, 'degC', 1e-9],
    ['sht31 humidity', { device: 'sht31', address: 0x44, field: 'humidity' }, () => new FakeSht31({ rawRH: 0x8000 }), (100 * 0x8000) / 65535, undefined, 1e-9],
    ['tmp102 temperature', { device: 'tmp102', address: 0x48, field: 'temperature' }, () => new FakeTmp102({ counts: 0xe70 - 0x1000 }), -25, undefined, 1e-9],
    ['ads1115 voltage (channel 2, gain 2)', { device: 'ads1115', address: 0x48, field: 'voltage', channel: 2, gain: 2 }, () => new FakeAds1115({ volts: [0, 0, 1.5, 0] }), 1.5, 'V', 1e-4],
    ['ads1115 voltage in mV', { device: 'ads1115', address: 0x48, field: 'voltage', channel: 0 }, () => new FakeAds1115({ volts: [1.25, 0, 0, 0] }), 1250, 'mV', 0.2],
    ['ads1115 raw', { device: 'ads1115', address: 0x48, field: 'raw', channel: 1, gain: 2 / 3 }, () => new FakeAds1115({ volts: [0, 3.072, 0, 0] }), 16384, undefined, 0],
    ['bh1750 illuminance', { device: 'bh1750', address: 0x23, field: 'illuminance' }, () => new FakeBh1750({ raw: 0x8390 }), 33680 / 1.2, 'lux', 1e-9],
  ];

  it.each(cases)('%s', async (_name, hardware, fake, expected, unit, tolerance) => {
    const rig = new Rig();
    rig.bus(1).attach(hardware['address'] as number, fake());
    const source = rig.source('s', hardware, unit);
    expect(source.mode).toBe('polled');
    await rig.run(source.open());
    const value = await rig.run(source.read());
    expect(typeof value).toBe('number');
    expect(Math.abs((value as number) - expected)).toBeLessThanOrEqual(tolerance);
    await source.close();
  });

  it('defaults the address to the device usual one, and a one-field device to its field', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x48, new FakeTmp102({ counts: 400 }));
    const source = createI2cSource(i2cSensor('t', { bus: 1, device: 'tmp102' }), { buses: rig.buses });
    expect(await rig.run(source.read())).toBe(25);
  });

  it('reads without an explicit open (probing first)', async () => {
    const rig = new Rig();
    const chip = new FakeBme280();
    rig.bus(1).attach(0x76, chip);
    const source = rig.source('t', { device: 'bme280', address: 0x76, field: 'temperature' });
    expect(await rig.run(source.read())).toBe(BME_T);
    expect(rig.bus(1).log[0]).toMatchObject({ op: 'readByte', command: 0xd0 });
  });
});

describe('createI2cSource on the real timers', () => {
  it('measures with the default I2cBuses timers (no virtual clock)', async () => {
    const bus = new FakeI2cBus(() => performance.now()).attach(0x44, new FakeSht31({ rawRH: 0x8000 }));
    const buses = new I2cBuses({ openBus: () => Promise.resolve(bus) });
    const source = createI2cSource(i2cSensor('rh', { bus: 1, device: 'sht31', address: 0x44, field: 'humidity' }), { buses });
    await source.open();
    expect(await source.read()).toBeCloseTo((100 * 0x8000) / 65535, 9);
    await source.close();
    expect(bus.closed).toBe(true);
  });
});

describe('createI2cSource: settings problems are faults, never throws', () => {
  it.each([
    [{ device: 'nope', address: 0x40, field: 'x' }, 'SPATIA_CONFIG_VALUE'],
    [{ device: 'bme280', address: 0x76, field: 'colour' }, 'SPATIA_CONFIG_VALUE'],
    [{ device: 'bme280', bus: 'one', address: 0x76, field: 'temperature' }, 'SPATIA_CONFIG_VALUE'],
    [{ device: 'ads1115', address: 0x48, field: 'voltage', gain: 3 }, 'SPATIA_CONFIG_VALUE'],
  ])('%j -> %s', async (hardware, code) => {
    const rig = new Rig();
    const source = rig.source('bad', hardware);
    expect(await rejection(rig.run(source.open()))).toMatchObject({ status: 'error', code });
    expect(await rejection(rig.run(source.read()))).toMatchObject({ status: 'error', code });
    await source.close();
  });

  it('refuses a unit the field cannot be converted to (SPATIA_CONFIG_UNIT)', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x76, new FakeBme280());
    const source = rig.source('p', { device: 'bme280', address: 0x76, field: 'pressure' }, 'degC');
    const err = await rejection(rig.run(source.open()));
    expect(err).toMatchObject({ code: 'SPATIA_CONFIG_UNIT', message: expect.stringMatching(/Pa.*degC/) as unknown });
    expect(rig.bus(1).log).toEqual([]);
  });
});

describe('createI2cSource: sharing one device', () => {
  it('gives the three fields of one BME280 one measurement per tick', async () => {
    const rig = new Rig();
    const chip = new FakeBme280();
    rig.bus(1).attach(0x76, chip);
    const sources = ['temperature', 'humidity', 'pressure'].map((field) => rig.source(field, { device: 'bme280', address: 0x76, field }));
    await rig.run(Promise.all(sources.map((s) => s.open())));
    expect(rig.bus(1).log.filter((t) => t.command === 0xd0)).toHaveLength(1);
    for (let tick = 1; tick <= 3; tick++) {
      const values = await rig.run(Promise.all(sources.map((s) => s.read())));
      expect(values[0]).toBe(BME_T);
      expect(values[2]).toBe(BME_P);
      expect(chip.measurements).toBe(tick);
      await rig.timers.advance(1000);
    }
  });

  it('never hands one sensor the same measurement twice', async () => {
    const rig = new Rig();
    const chip = new FakeBme280();
    rig.bus(1).attach(0x76, chip);
    const t = rig.source('t', { device: 'bme280', address: 0x76, field: 'temperature' });
    const h = rig.source('h', { device: 'bme280', address: 0x76, field: 'humidity' });
    await rig.run(t.read());
    await rig.run(h.read()); // fresh: shared
    expect(chip.measurements).toBe(1);
    await rig.run(t.read()); // t already had it: a new one
    expect(chip.measurements).toBe(2);
  });

  it('opens the bus once, and closes it when its last sensor closes', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x76, new FakeBme280()).attach(0x44, new FakeSht31());
    const a = rig.source('a', { device: 'bme280', address: 0x76, field: 'temperature' });
    const b = rig.source('b', { device: 'sht31', address: 0x44, field: 'humidity' });
    await rig.run(Promise.all([a.open(), b.open()]));
    expect(rig.opened).toEqual([1]);
    await a.close();
    expect(rig.bus(1).closed).toBe(false);
    await b.close();
    expect(rig.fakes.get(1)?.closeCount).toBe(1);
    expect(rig.timers.pending).toBe(0);
  });

  it('close() during a measurement abandons it: the read rejects and no timer is left', async () => {
    const rig = new Rig();
    const chip = new FakeBh1750();
    rig.bus(1).attach(0x23, chip);
    const source = rig.source('lux', { device: 'bh1750', address: 0x23 });
    await rig.run(source.open());
    const reading = rejection(source.read());
    await rig.timers.advance(50); // inside the 180 ms wait
    await source.close();
    expect((await reading).code).toBe('SPATIA_SENSOR_ERROR');
    expect(rig.timers.pending).toBe(0);
    await rig.timers.advance(1000);
    expect(rig.bus(1).log.filter((t) => t.op === 'i2cRead')).toHaveLength(0);
  });
});

describe('createI2cSource: probing', () => {
  it('refuses a wrong chip id at open (SPATIA_I2C_PROBE)', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x76, new FakeBme280({ chipId: 0x61 }));
    const err = await rejection(rig.run(rig.source('t', { device: 'bme280', address: 0x76, field: 'temperature' }).open()));
    expect(err).toMatchObject({ status: 'error', code: 'SPATIA_I2C_PROBE' });
    expect(err.message).toMatch(/^bme280 at 0x76 on i2c-1: chip id 0x61/);
  });

  it('reads temperature from a BMP280 but refuses humidity, saying why', async () => {
    const rig = new Rig();
    rig.bus(1).attach(0x76, new FakeBme280({ chipId: 0x58 }));
    const t = rig.source('t', { device: 'bme280', address: 0x76, field: 'temperature' });
    const h = rig.source('h', { device: 'bme280', address: 0x76, field: 'humidity' });
    await rig.run(t.open());
    expect(await rig.run(t.read())).toBe(BME_T);
    const err = await rejection(rig.run(h.open()));
    expect(err).toMatchObject({ code: 'SPATIA_I2C_PROBE', message: expect.stringMatching(/BMP280.*no humidity/) as unknown });
    expect(await rejection(rig.run(h.read()))).toMatchObject({ code: 'SPATIA_I2C_PROBE' });
  });

  it('reports a device that is not there as a NACK naming i2cdetect', async () => {
    const rig = new Rig();
    rig.bus(1);
    const err = await rejection(rig.run(rig.source('t', { device: 'sht31', address: 0x45, field: 'temperature' }).open()));
    expect(err).toMatchObject({ status: 'error', code: 'SPATIA_I2C_NACK' });
    expect(err.message).toMatch(/sht31 at 0x45 on i2c-1: no acknowledge during write\(0xF3, 0x2D\) \(EREMOTEIO\).*i2cdetect -y 1/);
  });
});
