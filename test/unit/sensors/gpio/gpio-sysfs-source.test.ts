import { afterEach, describe, expect, it } from 'vitest';
import { createGpioSource } from '../../../../src/sensors/gpio/create-gpio-source.js';
import { describeGpioEnvironment } from '../../../../src/sensors/gpio/describe-gpio-environment.js';
import { SysfsGpioBackend } from '../../../../src/sensors/gpio/sysfs-gpio-backend.js';
import type { PolledSource, PushSource } from '../../../../src/sensors/live/source.js';
import { FakeSysfsGpio, PI4_CHIPS, PI5_CHIPS } from '../../../helpers/fake-sysfs-gpio.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { gpioSensor } from './gpio-sensor.js';

/** The whole stack on real files: createGpioSource -> SysfsGpioBackend -> a fake sysfs tree. */
const trees: FakeSysfsGpio[] = [];
const POLL = { timeout: 20_000 };
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});

async function tree(chips = PI5_CHIPS): Promise<{ fake: FakeSysfsGpio; backend: SysfsGpioBackend }> {
  const fake = await FakeSysfsGpio.create(chips);
  trees.push(fake);
  return { fake, backend: new SysfsGpioBackend({ root: fake.root, fs: fake.fs, pollEveryMs: 2, permissionWaitMs: 100, permissionRetryMs: 2 }) };
}

describe('GPIO sources over a fake sysfs tree', () => {
  it('Pi 5: a push source on pin 17 uses gpio588, delivers levels through active_low, and unexports on close', async () => {
    const { fake, backend } = await tree();
    const source = createGpioSource(gpioSensor({ pin: 17, active_low: true }), { headerChipLabels: ['pinctrl-rp1'], backend }) as PushSource;
    const sink = new RecordingSink();
    await source.start(sink);
    expect(fake.lineState(588)).toEqual({ direction: 'in', edge: 'both', activeLow: true });
    await expect.poll(() => sink.values, POLL).toEqual([true]);
    expect(sink.transports[0]?.message).toContain('sysfs gpio588');
    expect(sink.transports[0]?.message).toContain('edges by polling');
    await fake.setLevel(588, 1);
    await expect.poll(() => sink.values, POLL).toEqual([true, false]);
    await source.close();
    expect(fake.isExported(588)).toBe(false);
    expect(sink.faults).toEqual([]);
  });

  it('Pi 4 on kernel >= 6.2: a polled source on pin 22 reads gpio534', async () => {
    const { fake, backend } = await tree(PI4_CHIPS);
    const source = createGpioSource(gpioSensor({ pin: 22, edge: 'none' }), { headerChipLabels: ['pinctrl-bcm2711'], backend }) as PolledSource;
    await source.open();
    expect(fake.lineState(534)).toEqual({ direction: 'in', edge: 'none', activeLow: false });
    expect(await source.read()).toBe(false);
    await fake.setLevel(534, 1);
    expect(await source.read()).toBe(true);
    await source.close();
    expect(fake.isExported(534)).toBe(false);
  });

  it('missing permission reaches the sink as SPATIA_GPIO_PERMISSION', async () => {
    const { fake, backend } = await tree();
    fake.failWith('export', 'EACCES');
    const source = createGpioSource(gpioSensor({ pin: 17 }), { headerChipLabels: ['pinctrl-rp1'], backend }) as PushSource;
    const sink = new RecordingSink();
    await source.start(sink);
    expect(sink.faults.map((f) => f.code)).toEqual(['SPATIA_GPIO_PERMISSION']);
    await source.close();
  });

  it('describeGpioEnvironment lists the chips and explains each pin without exporting anything', async () => {
    const { fake, backend } = await tree();
    const report = await describeGpioEnvironment(backend, ['pinctrl-rp1'], [
      { pin: 17, chip: undefined },
      { pin: 60, chip: undefined },
    ]);
    expect(report.ok).toBe(false);
    expect(report.chips).toHaveLength(5);
    expect(report.lines).toContain('  pinctrl-rp1 (gpiochip571, base 571, 54 lines)  <- header chip');
    expect(report.lines).toContain("pin 17 -> line 17 of pinctrl-rp1 (gpiochip571, base 571, 54 lines) = sysfs gpio588 (the board's header chip)");
    expect(report.lines.some((l) => l.startsWith('[SPATIA_GPIO_CHIP] pin 60'))).toBe(true);
    expect(fake.writes).toEqual([]);
    const absent = await describeGpioEnvironment(new SysfsGpioBackend({ root: `${fake.root}-absent` }), ['pinctrl-rp1']);
    expect(absent.ok).toBe(false);
    expect(absent.lines[1]).toMatch(/^\[SPATIA_GPIO_NO_SYSFS\]/);
  });
});
