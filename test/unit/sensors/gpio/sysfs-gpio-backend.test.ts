import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GpioChipInfo, GpioInputRequest, GpioLevel } from '../../../../src/sensors/gpio/gpio-backend.js';
import type { InterruptOpener } from '../../../../src/sensors/gpio/onoff-interrupts.js';
import { SysfsGpioBackend } from '../../../../src/sensors/gpio/sysfs-gpio-backend.js';
import { SensorFault } from '../../../../src/sensors/live/source.js';
import { FakeSysfsGpio, PI4_CHIPS, PI4_OLD_CHIPS, PI5_CHIPS, type FakeChip } from '../../../helpers/fake-sysfs-gpio.js';

const trees: FakeSysfsGpio[] = [];
const POLL = { timeout: 20_000 };
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});

async function setup(
  chips: readonly FakeChip[] = PI5_CHIPS,
  noIrq: readonly number[] = [],
  permissionWaitMs = 100,
): Promise<{ tree: FakeSysfsGpio; backend: SysfsGpioBackend }> {
  const tree = await FakeSysfsGpio.create(chips, { noIrq });
  trees.push(tree);
  // Short waits where a test waits for a failure: these tests check outcomes, never durations.
  const backend = new SysfsGpioBackend({ root: tree.root, fs: tree.fs, permissionWaitMs, permissionRetryMs: 2, pollEveryMs: 2 });
  return { tree, backend };
}

async function request(backend: SysfsGpioBackend, label: string, offset: number, more: Partial<GpioInputRequest> = {}): Promise<GpioInputRequest> {
  const chip = (await backend.listChips()).find((c) => c.label === label) as GpioChipInfo;
  return { chip, offset, activeLow: false, interrupts: true, consumer: 'door', ...more };
}

async function faultOf(promise: Promise<unknown>): Promise<SensorFault> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (err instanceof SensorFault) return err;
  throw new Error(`expected a SensorFault, got ${String(err)}`);
}

describe('SysfsGpioBackend against a fake sysfs tree', () => {
  it.each([
    ['Pi 5', PI5_CHIPS, 'pinctrl-rp1', 571],
    ['Pi 4, kernel >= 6.2', PI4_CHIPS, 'pinctrl-bcm2711', 512],
    ['Pi 4, older kernel', PI4_OLD_CHIPS, 'pinctrl-bcm2711', 0],
  ])('%s: lists the chips with base, label and ngpio', async (_board, chips, label, base) => {
    const { backend } = await setup(chips);
    const listed = await backend.listChips();
    expect(listed.map((c) => c.base)).toEqual([...chips].map((c) => c.base).sort((a, b) => a - b));
    expect(listed.find((c) => c.label === label)).toMatchObject({ name: `gpiochip${base}`, base });
  });

  it('a missing sysfs directory is SPATIA_GPIO_NO_SYSFS naming the fix', async () => {
    const backend = new SysfsGpioBackend({ root: '/nonexistent/sys/class/gpio' });
    const fault = await faultOf(backend.listChips());
    expect(fault.code).toBe('SPATIA_GPIO_NO_SYSFS');
    expect(fault.message).toContain('CONFIG_GPIO_SYSFS');
    expect(fault.message).toContain('JetPack 6');
    expect(fault.message).toMatch(/not\s+available yet/);
  });

  it.each([
    ['Pi 5 (base 571)', PI5_CHIPS, 'pinctrl-rp1', 588],
    ['Pi 4 on kernel >= 6.2 (base 512)', PI4_CHIPS, 'pinctrl-bcm2711', 529],
    ['Pi 4 on an older kernel (base 0)', PI4_OLD_CHIPS, 'pinctrl-bcm2711', 17],
  ])('%s: pin 17 exports base + 17 and configures it as an input', async (_board, chips, label, n) => {
    const { tree, backend } = await setup(chips);
    await tree.setLevel(n, 1);
    const line = await backend.openInput(await request(backend, label, 17));
    expect(tree.writes).toEqual([
      { path: 'export', data: String(n) },
      { path: `gpio${n}/direction`, data: 'in' },
      { path: `gpio${n}/active_low`, data: '0' },
      { path: `gpio${n}/edge`, data: 'both' },
    ]);
    expect(tree.lineState(n)).toEqual({ direction: 'in', edge: 'both', activeLow: false });
    expect(line.description).toBe(`sysfs gpio${n}`);
    expect(await line.read()).toBe(1);
    await tree.setLevel(n, 0);
    expect(await line.read()).toBe(0);
    await line.close();
  });

  it('active_low is written to sysfs, and reads are logical levels', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 4, { activeLow: true, interrupts: false }));
    expect(tree.lineState(575)).toEqual({ direction: 'in', edge: 'none', activeLow: true });
    expect(await line.read()).toBe(1);
    await tree.setLevel(575, 1);
    expect(await line.read()).toBe(0);
    await line.close();
  });

  it('close unexports the line, once', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    expect(tree.isExported(588)).toBe(true);
    await line.close();
    await line.close();
    expect(tree.isExported(588)).toBe(false);
    expect(tree.writes.filter((w) => w.path === 'unexport')).toEqual([{ path: 'unexport', data: '588' }]);
  });

  it('reuses a line that is already exported (a previous run that died)', async () => {
    const { tree, backend } = await setup();
    await tree.exportBehindTheBack(588);
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    expect(tree.writes.map((w) => w.path)).not.toContain('export');
    expect(tree.lineState(588)?.edge).toBe('both');
    await line.close();
    expect(tree.isExported(588)).toBe(false);
  });

  it('EACCES on export is SPATIA_GPIO_PERMISSION naming the gpio group and the udev rule', async () => {
    const { tree, backend } = await setup();
    tree.failWith('export', 'EACCES');
    const fault = await faultOf(backend.openInput(await request(backend, 'pinctrl-rp1', 17)));
    expect(fault.code).toBe('SPATIA_GPIO_PERMISSION');
    expect(fault.message).toContain(join(tree.root, 'export'));
    expect(fault.message).toContain('gpio group');
    expect(fault.message).toContain('udev rule');
    expect(fault.message).toContain('log out and in');
    expect(tree.isExported(588)).toBe(false);
  });

  it('rides out the udev race: EACCES on the new line for a moment, then access', async () => {
    // A generous wait, so a loaded machine cannot turn the transient denial into a failure.
    const { tree, backend } = await setup(PI5_CHIPS, [], 30_000);
    tree.failWith('gpio588/direction', 'EACCES', 3);
    tree.failWith('gpio588/value', 'EPERM', 2);
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    expect(tree.lineState(588)).toEqual({ direction: 'in', edge: 'both', activeLow: false });
    expect(await line.read()).toBe(0);
    await line.close();
  });

  it('EACCES that lasts past the wait is SPATIA_GPIO_PERMISSION, and the line is unexported again', async () => {
    const { tree, backend } = await setup();
    tree.failWith('gpio588/value', 'EACCES');
    const fault = await faultOf(backend.openInput(await request(backend, 'pinctrl-rp1', 17)));
    expect(fault.code).toBe('SPATIA_GPIO_PERMISSION');
    expect(fault.message).toContain(join(tree.root, 'gpio588', 'value'));
    expect(tree.isExported(588)).toBe(false);
  });

  it('a line held by a driver (EBUSY) says who may hold it', async () => {
    const { tree, backend } = await setup();
    tree.claim(588);
    const fault = await faultOf(backend.openInput(await request(backend, 'pinctrl-rp1', 17)));
    expect(fault.code).toBe('SPATIA_SENSOR_ERROR');
    expect(fault.message).toContain('busy');
  });

  it('a line without interrupt support asks for edge: none', async () => {
    const { tree, backend } = await setup(PI5_CHIPS, [588]);
    const fault = await faultOf(backend.openInput(await request(backend, 'pinctrl-rp1', 17)));
    expect(fault.message).toContain('edge: none');
    expect(tree.isExported(588)).toBe(false);
    const polled = await backend.openInput(await request(backend, 'pinctrl-rp1', 17, { interrupts: false }));
    expect(await polled.read()).toBe(0);
    await polled.close();
  });

  it('a line unexported by someone else reads as SPATIA_SENSOR_DISCONNECTED', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    await tree.unexportBehindTheBack(588);
    expect((await faultOf(line.read())).code).toBe('SPATIA_SENSOR_DISCONNECTED');
    await line.close();
  });

  it('EACCES on a later read is SPATIA_GPIO_PERMISSION; garbage in value is SPATIA_SENSOR_GARBAGE', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    tree.failWith('gpio588/value', 'EACCES', 1);
    expect((await faultOf(line.read())).code).toBe('SPATIA_GPIO_PERMISSION');
    // Bypass the emulation: the kernel never writes this, a broken tree might.
    await import('node:fs/promises').then((fs) => fs.writeFile(join(tree.root, 'gpio588', 'value'), 'x\n'));
    const garbage = await faultOf(line.read());
    expect([garbage.status, garbage.code]).toEqual(['garbage', 'SPATIA_SENSOR_GARBAGE']);
    await line.close();
  });

  it('watch polls the value file on a tree that is not the kernel, and says why', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    const levels: GpioLevel[] = [];
    await line.watch((level) => levels.push(level), () => undefined);
    expect(line.watchMode).toBe('poll');
    expect(line.watchNote).toContain('epoll');
    await expect.poll(() => levels, POLL).toEqual([0]);
    await tree.setLevel(588, 1);
    await expect.poll(() => levels, POLL).toEqual([0, 1]);
    await line.close();
    expect(await readFile(join(tree.root, 'unexport'), 'utf8')).toBe('');
  });

  it('watch reports a failing poll once, not once per poll', async () => {
    const { tree, backend } = await setup();
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17));
    const faults: string[] = [];
    await line.watch(() => undefined, (fault) => faults.push(fault.code));
    tree.failWith('gpio588/value', 'EACCES', 20);
    await expect.poll(() => faults.length, POLL).toBe(1);
    // Well past the 20 failing polls: still one report.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(faults).toEqual(['SPATIA_GPIO_PERMISSION']);
    await line.close();
  });

  it('uses the interrupt opener when it has one, and falls back to polling when it fails', async () => {
    const { tree } = await setup();
    const calls: Array<[number, boolean]> = [];
    let notify: ((level: GpioLevel) => void) | undefined;
    let closed = 0;
    const opener: InterruptOpener = async (n, activeLow, onLevel) => {
      calls.push([n, activeLow]);
      notify = onLevel;
      return Promise.resolve({ close: () => (closed += 1) });
    };
    const backend = new SysfsGpioBackend({ root: tree.root, fs: tree.fs, interrupts: opener, pollEveryMs: 2 });
    const line = await backend.openInput(await request(backend, 'pinctrl-rp1', 17, { activeLow: true }));
    const levels: GpioLevel[] = [];
    await line.watch((level) => levels.push(level), () => undefined);
    expect([line.watchMode, calls]).toEqual(['interrupt', [[588, true]]]);
    notify?.(1);
    expect(levels).toEqual([1]);
    await line.close();
    expect(closed).toBe(1);

    const failing = new SysfsGpioBackend({ root: tree.root, fs: tree.fs, interrupts: () => Promise.reject(new Error('no epoll here')), pollEveryMs: 2 });
    const polled = await failing.openInput(await request(failing, 'pinctrl-rp1', 17));
    await polled.watch(() => undefined, () => undefined);
    expect(polled.watchMode).toBe('poll');
    expect(polled.watchNote).toContain('no epoll here');
    await polled.close();
  });
});
