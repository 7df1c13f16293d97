import { describe, expect, it } from 'vitest';
import { createDoctorContext } from '../../../src/doctor/doctor-context.js';
import type { DoctorEnv } from '../../../src/doctor/doctor-env.js';
import { i2cBuses, i2cChecks } from '../../../src/doctor/i2c-checks.js';
import { serialChecks, serialPaths } from '../../../src/doctor/serial-checks.js';
import { PI, PI_IN_GROUPS, fakeMachine, groupFile, pi5Tree, without } from './fake-machine.js';
import { PROFILES, model } from './models.js';

async function i2c(env: DoctorEnv, yaml = 'sensors: [{id: t, kind: i2c, bus: 1, device: tmp102}]') {
  const m = model(yaml);
  return i2cChecks(await createDoctorContext(env, PROFILES, m.runtime.board), i2cBuses(m));
}

async function serial(env: DoctorEnv, path: string) {
  const m = model(`sensors: [{id: co2, kind: serial, path: '${path}'}]`);
  return serialChecks(await createDoctorContext(env, PROFILES, m.runtime.board), serialPaths(m));
}

describe('i2c checks', () => {
  it('passes with /dev/i2c-1 and the i2c group', async () => {
    expect(await i2c(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }))).toEqual([
      { status: 'ok', subject: '/dev/i2c-1', message: 'read/write allowed (group i2c, mode 0660)' },
    ]);
  });

  it('on a Pi, a missing /dev/i2c-1 means I2C is off: raspi-config', async () => {
    const off = without(pi5Tree(), '/dev/i2c-1', '/sys/class/i2c-adapter/i2c-1');
    const [r] = await i2c(fakeMachine(off, { user: PI_IN_GROUPS }));
    expect(r).toMatchObject({ status: 'fail', code: 'SPATIA_I2C_BUS' });
    expect(r?.message).toMatch(/^missing: I2C is not enabled on SDA = GPIO2 \(pin 3\)/);
    expect(r?.fix).toMatch(/^sudo raspi-config nonint do_i2c 0 {3}\(or dtparam=i2c_arm=on in \/boot\/firmware\/config\.txt/);
  });

  it('an adapter without its /dev node means i2c-dev is not loaded', async () => {
    const [r] = await i2c(fakeMachine(without(pi5Tree(), '/dev/i2c-1'), { user: PI_IN_GROUPS }));
    expect(r?.fix).toMatch(/^sudo modprobe i2c-dev/);
  });

  it('an unknown bus lists the buses there are', async () => {
    const [r] = await i2c(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }), 'sensors: [{id: t, kind: i2c, bus: 3, device: tmp102}, {id: u, kind: i2c, bus: 3, device: bh1750}]');
    expect(r?.message).toBe('missing; buses here: /dev/i2c-1 (used by sensor t, sensor u)');
  });

  it('fails when the user is not in the i2c group', async () => {
    const [r] = await i2c(fakeMachine(pi5Tree({ '/etc/group': groupFile() })));
    expect(r).toMatchObject({ status: 'fail', message: 'no read/write permission for pi (group i2c, mode 0660)', code: 'SPATIA_I2C_BUS' });
    expect(r?.fix).toMatch(/^sudo usermod -aG i2c pi/);
  });
});

describe('serial checks', () => {
  it('follows a by-id link and checks the real device', async () => {
    const tree = pi5Tree({ '/dev/ttyUSB0': { mode: 0o660, gid: 20 }, '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0': { link: '../../ttyUSB0' } });
    expect(await serial(fakeMachine(tree, { user: PI_IN_GROUPS }), '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0')).toEqual([
      {
        status: 'ok',
        subject: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0',
        message: '/dev/serial/by-id/usb-FTDI_FT232R-if00-port0 -> /dev/ttyUSB0: read/write allowed (group dialout, mode 0660)',
      },
    ]);
  });

  it('a missing device lists what is there', async () => {
    const [r] = await serial(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }), '/dev/ttyUSB0');
    expect(r).toMatchObject({ status: 'fail', code: 'SPATIA_SERIAL_OPEN' });
    expect(r?.message).toBe('missing (used by sensor co2); serial devices here: /dev/ttyAMA0, /dev/ttyAMA10');
  });

  it('the dialout group is needed', async () => {
    const [r] = await serial(fakeMachine(pi5Tree(), { user: PI }), '/dev/ttyAMA0');
    expect(r?.fix).toMatch(/pi is in group dialout in \/etc\/group but not in this login session/);
  });

  it('a UART that carries the kernel console fails, with the board fix', async () => {
    const tree = pi5Tree({ '/proc/cmdline': 'console=serial0,115200 console=tty1 root=/dev/mmcblk0p2', '/dev/ttyAMA10': { mode: 0o660, gid: 20 } });
    const [r] = await serial(fakeMachine(tree, { user: PI_IN_GROUPS }), '/dev/serial0');
    expect(r).toMatchObject({ status: 'fail', code: 'SPATIA_SERIAL_OPEN' });
    expect(r?.message).toBe('/dev/ttyAMA10 carries the kernel console (console=serial0 in /proc/cmdline) (used by sensor co2)');
    expect(r?.fix).toMatch(/^sudo raspi-config nonint do_serial_cons 1/);
  });
});
