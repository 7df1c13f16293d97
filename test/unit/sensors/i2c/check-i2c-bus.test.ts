import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkI2cBus } from '../../../../src/sensors/i2c/check-i2c-bus.js';
import { openI2cBus } from '../../../../src/sensors/i2c/i2c-bus-adapter.js';
import { NO_I2C_MODULE } from '../../../../src/sensors/i2c/i2c-fault.js';
import { rejection } from './harness.js';

describe('checkI2cBus (for opening a bus and `spatia doctor`)', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'spatia-i2c-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a missing bus with how to enable I2C', async () => {
    const check = await checkI2cBus(1, { devDir: dir });
    expect(check).toMatchObject({ busNumber: 1, path: join(dir, 'i2c-1'), ok: false, errno: 'ENOENT', code: 'SPATIA_I2C_BUS' });
    expect(check.message).toMatch(/does not exist.*raspi-config.*dtparam=i2c_arm=on/);
  });

  it('reports a file that is not a character device', async () => {
    await writeFile(join(dir, 'i2c-3'), '');
    expect(await checkI2cBus(3, { devDir: dir })).toMatchObject({ ok: false, errno: 'ENODEV', code: 'SPATIA_I2C_BUS' });
  });

  it('accepts a readable and writable character device', async () => {
    await symlink('/dev/null', join(dir, 'i2c-4'));
    expect(await checkI2cBus(4, { devDir: dir })).toMatchObject({ ok: true, errno: undefined, code: undefined });
  });
});

describe('openI2cBus (the real adapter)', () => {
  it('rejects a missing bus with ENOENT before loading i2c-bus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spatia-i2c-'));
    try {
      const err = await rejection(openI2cBus(9, { devDir: dir }));
      expect(err.code).toBe('ENOENT');
      expect(err.message).toMatch(/does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns a failing transfer into a rejection with an errno, never a throw', async () => {
    // A "bus" that passes the check (a character device), so i2c-bus opens; its first transfer
    // then opens the real /dev/i2c-N, which does not exist here.
    const dir = await mkdtemp(join(tmpdir(), 'spatia-i2c-'));
    try {
      await symlink('/dev/null', join(dir, 'i2c-97'));
      let bus;
      try {
        bus = await openI2cBus(97, { devDir: dir });
      } catch (err) {
        // Without the optional package (or its native addon), the error says how to install it.
        expect((err as { code?: string }).code).toBe(NO_I2C_MODULE);
        return;
      }
      expect((await rejection(bus.readByte(0x76, 0xd0))).code).toMatch(/^E[A-Z]+$/);
      expect((await rejection(bus.readByte(0x80, 0xd0))).message).toMatch(/Invalid I2C address/);
      await bus.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
