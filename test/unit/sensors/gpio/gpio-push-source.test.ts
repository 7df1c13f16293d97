import { describe, expect, it } from 'vitest';
import { createGpioSource } from '../../../../src/sensors/gpio/create-gpio-source.js';
import { noSysfsFault, permissionFault } from '../../../../src/sensors/gpio/gpio-faults.js';
import { type PushSource, SensorFault } from '../../../../src/sensors/live/source.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { gpioSensor } from './gpio-sensor.js';
import { ManualTimers, settle } from './manual-timers.js';
import { MemoryGpioBackend } from './memory-gpio-backend.js';

const RP1 = { name: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54 };

function setup(hardware: Record<string, unknown> = { pin: 17 }) {
  const timers = new ManualTimers();
  const backend = new MemoryGpioBackend([RP1]);
  const source = createGpioSource(gpioSensor(hardware), { headerChipLabels: ['pinctrl-rp1'], backend, timers }) as PushSource;
  const sink = new RecordingSink();
  return { timers, backend, source, sink };
}

describe('GPIO push source (edge rising/falling/both)', () => {
  it('opens the header chip line, says how, and delivers the initial level', async () => {
    const { backend, source, sink } = setup({ pin: 17, active_low: true });
    expect(source.mode).toBe('push');
    backend.initialLevel = 1;
    await source.start(sink);
    await settle();
    expect(backend.last.request).toMatchObject({ chip: RP1, offset: 17, activeLow: true, interrupts: true, consumer: 'door' });
    expect(sink.values).toEqual([true]);
    expect(sink.transports).toEqual([
      {
        transport: 'gpiochip571',
        status: 'opened',
        message: "pin 17 -> line 17 of pinctrl-rp1 (gpiochip571, base 571, 54 lines) = sysfs gpio588 (the board's header chip); edges by interrupt",
      },
    ]);
    await source.close();
  });

  it('delivers edges as booleans, debounced', async () => {
    const { timers, backend, source, sink } = setup({ pin: 17, debounce_us: 5000 });
    await source.start(sink);
    await settle();
    const line = backend.last;
    line.interrupt(1);
    timers.advance(2);
    line.interrupt(0);
    timers.advance(1);
    line.interrupt(1);
    timers.advance(5);
    await settle();
    line.interrupt(0);
    timers.advance(5);
    await settle();
    expect(sink.values).toEqual([false, true, false]);
    await source.close();
  });

  it('edge: rising delivers only becoming active', async () => {
    const { backend, source, sink } = setup({ pin: 17, edge: 'rising' });
    await source.start(sink);
    await settle();
    for (const level of [1, 0, 1, 0] as const) backend.last.interrupt(level);
    await settle();
    expect(sink.values).toEqual([false, true, true]);
    await source.close();
  });

  it('a failed open is reported with its code and retried with growing backoff until it works', async () => {
    const { timers, backend, source, sink } = setup();
    backend.listError = noSysfsFault('/sys/class/gpio');
    await source.start(sink);
    expect(sink.faults.map((f) => f.code)).toEqual(['SPATIA_GPIO_NO_SYSFS']);
    timers.advance(1000);
    await settle();
    expect(sink.faults).toHaveLength(2);
    backend.listError = undefined;
    backend.openError = permissionFault('/sys/class/gpio/export', Object.assign(new Error('denied'), { code: 'EACCES' }));
    timers.advance(1999);
    await settle();
    expect(sink.faults).toHaveLength(2);
    timers.advance(1);
    await settle();
    expect(sink.faults.map((f) => f.code)).toEqual(['SPATIA_GPIO_NO_SYSFS', 'SPATIA_GPIO_NO_SYSFS', 'SPATIA_GPIO_PERMISSION']);
    backend.openError = undefined;
    timers.advance(4000);
    await settle();
    expect(sink.values).toEqual([false]);
    expect(sink.transports.map((t) => t.status)).toEqual(['opened']);
    await source.close();
  });

  it('the backoff is capped', async () => {
    const timers = new ManualTimers();
    const backend = new MemoryGpioBackend([RP1]);
    backend.listError = noSysfsFault('/sys/class/gpio');
    const source = createGpioSource(gpioSensor({ pin: 17 }), { headerChipLabels: ['pinctrl-rp1'], backend, timers, reopenMinMs: 100, reopenMaxMs: 300 }) as PushSource;
    const sink = new RecordingSink();
    await source.start(sink);
    const attemptsMs: number[] = [0];
    for (let i = 0; i < 18; i += 1) {
      const before = sink.faults.length;
      timers.advance(100);
      await settle();
      if (sink.faults.length > before) attemptsMs.push(timers.nowMs());
    }
    // 100, then 200, then capped at 300.
    expect(attemptsMs).toEqual([0, 100, 300, 600, 900, 1200, 1500, 1800]);
    await source.close();
  });

  it('a pin beyond the chip is SPATIA_GPIO_CHIP', async () => {
    const { source, sink } = setup({ pin: 60 });
    await source.start(sink);
    expect(sink.faults[0]?.code).toBe('SPATIA_GPIO_CHIP');
    await source.close();
  });

  it('a read failure is a fault; a vanished line is lost, closed and reopened', async () => {
    const { timers, backend, source, sink } = setup({ pin: 17, debounce_us: 1000 });
    await source.start(sink);
    await settle();
    const first = backend.last;
    first.readError = new SensorFault('error', 'SPATIA_SENSOR_ERROR', 'EIO');
    first.interrupt(1);
    timers.advance(1);
    await settle();
    first.readError = undefined;
    expect(sink.faults.map((f) => f.code)).toEqual(['SPATIA_SENSOR_ERROR']);

    first.fail(new SensorFault('error', 'SPATIA_SENSOR_DISCONNECTED', 'gpio588 vanished'));
    await settle();
    expect(first.closed).toBe(true);
    expect(sink.losses.map((f) => f.code)).toEqual(['SPATIA_SENSOR_DISCONNECTED']);
    expect(sink.transports.map((t) => t.status)).toEqual(['opened', 'disconnected']);
    backend.initialLevel = 1;
    timers.advance(1000);
    await settle();
    expect(backend.opened).toHaveLength(2);
    expect(sink.values).toEqual([false, true]);
    await source.close();
  });

  it('close releases the line, stops every timer and ends deliveries', async () => {
    const { timers, backend, source, sink } = setup({ pin: 17, debounce_us: 1000 });
    await source.start(sink);
    await settle();
    backend.last.interrupt(1);
    await source.close();
    expect(backend.last.closed).toBe(true);
    expect(timers.pending()).toBe(0);
    timers.advance(10);
    await settle();
    expect(sink.values).toEqual([false]);
    expect(sink.transports.map((t) => t.status)).toEqual(['opened', 'closed']);
    await source.close();
  });

  it('close while retrying cancels the retry', async () => {
    const { timers, backend, source, sink } = setup();
    backend.openError = noSysfsFault('/sys/class/gpio');
    await source.start(sink);
    expect(timers.pending()).toBe(1);
    await source.close();
    expect(timers.pending()).toBe(0);
  });

  it('close during the open releases the line once it is opened', async () => {
    const { backend, source, sink } = setup();
    const starting = source.start(sink);
    await source.close();
    await starting;
    await settle();
    expect(backend.opened.every((l) => l.closed)).toBe(true);
    expect(sink.values).toEqual([]);
  });
});
