import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpioChipInfo, GpioOutputRequest } from '../../../../src/sensors/gpio/gpio-backend.js';
import { SysfsGpioBackend } from '../../../../src/sensors/gpio/sysfs-gpio-backend.js';
import { SensorFault } from '../../../../src/sensors/live/source.js';
import { FakeSysfsGpio, PI5_CHIPS } from '../../../helpers/fake-sysfs-gpio.js';

/** The output side of the sysfs GPIO port, against the fake tree. */
const trees: FakeSysfsGpio[] = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});

async function setup(): Promise<{ tree: FakeSysfsGpio; backend: SysfsGpioBackend; rp1: GpioChipInfo }> {
  const tree = await FakeSysfsGpio.create(PI5_CHIPS);
  trees.push(tree);
  const backend = new SysfsGpioBackend({ root: tree.root, fs: tree.fs, permissionWaitMs: 50, permissionRetryMs: 2 });
  const rp1 = (await backend.listChips()).find((c) => c.label === 'pinctrl-rp1') as GpioChipInfo;
  return { tree, backend, rp1 };
}

const value = (tree: FakeSysfsGpio, n: number): Promise<string> => readFile(join(tree.root, `gpio${n}`, 'value'), 'utf8');

describe('SysfsGpioBackend.openOutput', () => {
  it('exports base + offset and sets direction and level in one write (high/low), never "out"', async () => {
    const { tree, backend, rp1 } = await setup();
    const req: GpioOutputRequest = { chip: rp1, offset: 27, activeLow: false, initial: 1, consumer: 'test' };
    const line = await backend.openOutput(req);
    expect(tree.writes).toEqual([
      { path: 'export', data: '598' },
      { path: 'gpio598/edge', data: 'none' },
      { path: 'gpio598/active_low', data: '0' },
      { path: 'gpio598/direction', data: 'high' },
    ]);
    expect(tree.lineState(598)?.direction).toBe('out');
    expect(await value(tree, 598)).toBe('1\n');
    await line.write(0);
    expect(await value(tree, 598)).toBe('0\n');
    expect(await line.read()).toBe(0);
    await line.close();
    expect(tree.isExported(598)).toBe(false);
    expect(tree.wireLevel(598)).toBe(0);
  });

  it('active_low: the initial level is logical, so the raw word written to direction is inverted', async () => {
    const { tree, backend, rp1 } = await setup();
    const line = await backend.openOutput({ chip: rp1, offset: 4, activeLow: true, initial: 1, consumer: 'test' });
    expect(tree.writes.find((w) => w.path === 'gpio575/direction')?.data).toBe('low');
    expect(tree.wireLevel(575)).toBe(0);
    expect(await value(tree, 575)).toBe('1\n');
    await line.write(0);
    expect(tree.wireLevel(575)).toBe(1);
    await line.close();
  });

  it('takes over a line a previous run left exported as an input with interrupts armed', async () => {
    const { tree, backend, rp1 } = await setup();
    await tree.exportBehindTheBack(598);
    await tree.fs.writeFile(join(tree.root, 'gpio598', 'edge'), 'both');
    const line = await backend.openOutput({ chip: rp1, offset: 27, activeLow: false, initial: 0, consumer: 'test' });
    expect(tree.lineState(598)).toEqual({ direction: 'out', edge: 'none', activeLow: false });
    await line.close();
  });

  it('EACCES on export is SPATIA_GPIO_PERMISSION; a write to a vanished line is SPATIA_SENSOR_DISCONNECTED', async () => {
    const { tree, backend, rp1 } = await setup();
    tree.failWith('export', 'EACCES', 1);
    const err: unknown = await backend.openOutput({ chip: rp1, offset: 27, activeLow: false, initial: 0, consumer: 'test' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SensorFault);
    expect((err as SensorFault).code).toBe('SPATIA_GPIO_PERMISSION');
    const line = await backend.openOutput({ chip: rp1, offset: 27, activeLow: false, initial: 0, consumer: 'test' });
    await tree.unexportBehindTheBack(598);
    const lost: unknown = await line.write(1).catch((e: unknown) => e);
    expect((lost as SensorFault).code).toBe('SPATIA_SENSOR_DISCONNECTED');
    await line.close();
  });
});
