import { describe, expect, it } from 'vitest';
import { createGpioSource } from '../../../../src/sensors/gpio/create-gpio-source.js';
import { permissionFault } from '../../../../src/sensors/gpio/gpio-faults.js';
import { SpatiaError } from '../../../../src/core/errors.js';
import { type PolledSource, SensorFault } from '../../../../src/sensors/live/source.js';
import { gpioSensor } from './gpio-sensor.js';
import { ManualTimers } from './manual-timers.js';
import { MemoryGpioBackend } from './memory-gpio-backend.js';

const BCM2711 = { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 };
const PI4_LABELS = ['pinctrl-bcm2711', 'pinctrl-bcm2835'];

function setup(hardware: Record<string, unknown> = {}) {
  const timers = new ManualTimers();
  const backend = new MemoryGpioBackend([BCM2711]);
  const source = createGpioSource(gpioSensor({ pin: 22, edge: 'none', ...hardware }), { headerChipLabels: PI4_LABELS, backend, timers }) as PolledSource;
  return { timers, backend, source };
}

async function faultOf(promise: Promise<unknown>): Promise<SensorFault> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (err instanceof SensorFault) return err;
  throw new Error(`expected a SensorFault, got ${String(err)}`);
}

describe('GPIO polled source (edge: none)', () => {
  it('opens the line without interrupts and reads booleans', async () => {
    const { backend, source } = setup({ active_low: true });
    expect(source.mode).toBe('polled');
    await source.open();
    expect(backend.last.request).toMatchObject({ chip: BCM2711, offset: 22, activeLow: true, interrupts: false });
    expect(await source.read()).toBe(false);
    backend.last.level = 1;
    expect(await source.read()).toBe(true);
    await source.close();
    expect(backend.last.closed).toBe(true);
  });

  it('a failed open rejects with the fault that names the fix', async () => {
    const { backend, source } = setup();
    backend.openError = permissionFault('/sys/class/gpio/export', Object.assign(new Error('denied'), { code: 'EACCES' }));
    expect((await faultOf(source.open())).code).toBe('SPATIA_GPIO_PERMISSION');
    expect((await faultOf(source.read())).code).toBe('SPATIA_GPIO_PERMISSION');
    backend.openError = undefined;
    expect(await source.read()).toBe(false);
    await source.close();
  });

  it('debounce: a new level counts once reads have seen it for the debounce', async () => {
    const { timers, backend, source } = setup({ debounce_us: 30_000 });
    await source.open();
    const line = backend.last;
    expect(await source.read()).toBe(false);
    line.level = 1;
    expect(await source.read()).toBe(false);
    timers.advance(10);
    line.level = 0; // a single odd sample is forgotten
    expect(await source.read()).toBe(false);
    line.level = 1;
    timers.advance(10);
    expect(await source.read()).toBe(false);
    timers.advance(29);
    expect(await source.read()).toBe(false);
    timers.advance(1);
    expect(await source.read()).toBe(true);
    await source.close();
  });

  it('a vanished line is dropped and reopened by the next read', async () => {
    const { backend, source } = setup();
    await source.open();
    backend.last.readError = new SensorFault('error', 'SPATIA_SENSOR_DISCONNECTED', 'gone');
    expect((await faultOf(source.read())).code).toBe('SPATIA_SENSOR_DISCONNECTED');
    expect(backend.last.closed).toBe(true);
    expect(await source.read()).toBe(false);
    expect(backend.opened).toHaveLength(2);
    await source.close();
  });
});

describe('createGpioSource', () => {
  it.each([
    ['both', 'push'],
    ['rising', 'push'],
    ['falling', 'push'],
    ['none', 'polled'],
  ])('edge %s gives a %s source', (edge, mode) => {
    const backend = new MemoryGpioBackend([BCM2711]);
    expect(createGpioSource(gpioSensor({ pin: 4, edge }), { headerChipLabels: [], backend }).mode).toBe(mode);
  });

  it('refuses a sensor that is not a valid gpio sensor', () => {
    const backend = new MemoryGpioBackend([BCM2711]);
    expect(() => createGpioSource(gpioSensor({ pin: 'x' }), { headerChipLabels: [], backend })).toThrow(SpatiaError);
    expect(() => createGpioSource({ ...gpioSensor({ pin: 4 }), kind: 'i2c' }, { headerChipLabels: [], backend })).toThrow(/not gpio/);
  });
});
