import { describe, expect, it } from 'vitest';
import type { DoctorEnv } from '../../../src/doctor/doctor-env.js';
import { createDoctorContext } from '../../../src/doctor/doctor-context.js';
import { gpioChecks, gpioUses } from '../../../src/doctor/gpio-checks.js';
import { listGpioChips, findChip } from '../../../src/doctor/gpio-chips.js';
import { PI_IN_GROUPS, fakeFs, fakeMachine, pi5Tree, type FakeTree } from './fake-machine.js';
import { PROFILES, model } from './models.js';

const DEPLOYMENT = model(`
sensors:
  - {id: door, kind: gpio, pin: 17}
conditions:
  - {id: open, when: door, actions: [{gpio: {pin: 27, value: 1}}], on_falling: [{gpio: {pin: 27, value: 0}}]}
`);

async function check(env: DoctorEnv, yaml?: string) {
  const m = yaml === undefined ? DEPLOYMENT : model(yaml);
  const ctx = await createDoctorContext(env, PROFILES, m.runtime.board);
  return gpioChecks(ctx, gpioUses(m));
}

const lines = (results: Awaited<ReturnType<typeof check>>) => results.map((r) => `${r.status} ${r.subject}: ${r.message}`);

describe('GPIO chips from sysfs', () => {
  it('lists chips by base with label, ngpio and character device', async () => {
    const chips = await listGpioChips(fakeFs(pi5Tree()));
    expect(chips).toEqual([
      { name: 'gpiochip512', label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32, cdev: undefined },
      { name: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54, cdev: 'gpiochip4' },
    ]);
    for (const spec of ['pinctrl-rp1', 'gpiochip571', '/sys/class/gpio/gpiochip571', '/dev/gpiochip4']) {
      expect(findChip(chips ?? [], spec)?.base).toBe(571);
    }
    expect(await listGpioChips(fakeFs({}))).toBeUndefined();
  });
});

describe('gpio checks', () => {
  it('passes on a Pi 5 with the udev rule and the gpio group: line = base 571 + pin', async () => {
    expect(lines(await check(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS })))).toEqual([
      'ok gpio: /sys/class/gpio/export: write allowed (group gpio, mode 0220)',
      'ok sensor door: pin 17 = pinctrl-rp1 line 17 = /sys/class/gpio/gpio588',
      'ok condition open gpio pin 27: pin 27 = pinctrl-rp1 line 27 = /sys/class/gpio/gpio598',
    ]);
  });

  it('fails without sysfs GPIO, naming the board fix (JetPack 6)', async () => {
    const jetson: FakeTree = { '/proc/device-tree/model': 'NVIDIA Jetson Orin Nano Developer Kit\0', '/dev/gpiochip0': { mode: 0o600 } };
    const [r, ...rest] = await check(fakeMachine(jetson));
    expect(rest).toEqual([]);
    expect(r).toMatchObject({ status: 'fail', subject: 'gpio', code: 'SPATIA_GPIO_NO_SYSFS' });
    expect(r?.message).toBe('/sys/class/gpio is absent (needed by sensor door, condition open gpio pin 27)');
    expect(r?.fix).toMatch(/^JetPack 6 has no sysfs GPIO/);
  });

  it('fails when the user is not in the gpio group', async () => {
    const [exp] = await check(fakeMachine(pi5Tree({ '/etc/group': 'gpio:x:997:\ni2c:x:998:\n' })));
    expect(exp).toMatchObject({ status: 'fail', code: 'SPATIA_GPIO_PERMISSION' });
    expect(exp?.fix).toMatch(/^sudo usermod -aG gpio pi/);
  });

  it('fails when the board header chip is absent (wrong runtime.board)', async () => {
    const results = await check(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }), 'runtime: {board: pi4}\nsensors: [{id: door, kind: gpio, pin: 17}]');
    expect(results[1]).toMatchObject({ status: 'fail', subject: 'sensor door', code: 'SPATIA_GPIO_CHIP' });
    expect(results[1]?.message).toBe(
      'header chip pinctrl-bcm2711 or pinctrl-bcm2835 of board pi4 not found (chips here: gpio-brcmstb@107d508500 (gpiochip512, 32 lines), pinctrl-rp1 (gpiochip571, 54 lines))',
    );
  });

  it('fails for a chip: label that is not there, and a pin beyond the chip', async () => {
    const results = await check(
      fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }),
      'sensors: [{id: a, kind: gpio, pin: 3, chip: pinctrl-bcm2711}, {id: b, kind: gpio, pin: 60}, {id: c, kind: gpio, pin: 5, chip: /dev/gpiochip4}]',
    );
    expect(lines(results).slice(1)).toEqual([
      'fail sensor a: chip "pinctrl-bcm2711" not found (chips here: gpio-brcmstb@107d508500 (gpiochip512, 32 lines), pinctrl-rp1 (gpiochip571, 54 lines))',
      'fail sensor b: pin 60 is beyond pinctrl-rp1 (54 lines, 0..53)',
      'ok sensor c: pin 5 = pinctrl-rp1 line 5 = /sys/class/gpio/gpio576',
    ]);
  });

  it('needs chip: on a generic machine', async () => {
    const tree: FakeTree = { '/sys/class/gpio/export': { mode: 0o200 }, '/sys/class/gpio/gpiochip0/base': '0', '/sys/class/gpio/gpiochip0/ngpio': '8', '/sys/class/gpio/gpiochip0/label': 'ftdi-cbus' };
    const results = await check(fakeMachine(tree, { user: { name: 'root', uid: 0, gids: [0] } }), 'sensors: [{id: a, kind: gpio, pin: 1}, {id: b, kind: gpio, pin: 1, chip: ftdi-cbus}]');
    expect(lines(results)).toEqual([
      'ok gpio: /sys/class/gpio/export: write allowed (group root, mode 0200)',
      'fail sensor a: no chip: given and board generic has no header chip (chips here: ftdi-cbus (gpiochip0, 8 lines))',
      'ok sensor b: pin 1 = ftdi-cbus line 1 = /sys/class/gpio/gpio1',
    ]);
  });

  it('checks an already exported line, which udev may not have opened up', async () => {
    const tree = pi5Tree({ '/sys/class/gpio/gpio588/value': { mode: 0o644 } });
    const results = await check(fakeMachine(tree, { user: PI_IN_GROUPS }), 'sensors: [{id: door, kind: gpio, pin: 17}]');
    expect(results[1]).toMatchObject({ status: 'fail', code: 'SPATIA_GPIO_PERMISSION' });
    expect(results[1]?.fix).toMatch(/^install hardware\/udev\/99-spatia-gpio\.rules/);
  });

  it('checks nothing when the deployment has no GPIO', async () => {
    expect(await check(fakeMachine({}), 'sensors: [{id: a, kind: mock, signal: {constant: 1}}]')).toEqual([]);
  });
});
