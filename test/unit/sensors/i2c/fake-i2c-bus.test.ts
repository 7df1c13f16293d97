import { describe, expect, it } from 'vitest';
import { FakeI2cBus } from '../../../../src/sensors/i2c/fake/fake-i2c-bus.js';
import { FakeTmp102 } from '../../../../src/sensors/i2c/fake/fake-tmp102.js';
import { rejection } from './harness.js';

describe('FakeI2cBus', () => {
  it('frames SMBus words little-endian over a big-endian register', async () => {
    const bus = new FakeI2cBus().attach(0x48, new FakeTmp102({ counts: 0x190 }));
    expect(await bus.readWord(0x48, 0x00)).toBe(0x0019);
    expect(await bus.readI2cBlock(0x48, 0x00, 2)).toEqual(Uint8Array.of(0x19, 0x00));
    await bus.writeWord(0x48, 0x02, 0x0050);
    expect(bus.log.at(-1)?.wrote).toEqual([0x50, 0x00]);
    expect(await bus.readWord(0x48, 0x02)).toBe(0x0050);
  });

  it('NACKs an address with no device (EREMOTEIO) and logs it', async () => {
    const bus = new FakeI2cBus();
    expect((await rejection(bus.readByte(0x40, 0))).code).toBe('EREMOTEIO');
    expect(bus.log).toMatchObject([{ seq: 0, op: 'readByte', address: 0x40, error: 'EREMOTEIO' }]);
  });

  it('injects faults after `skip` matching transfers, `times` times', async () => {
    const bus = new FakeI2cBus().attach(0x48, new FakeTmp102());
    bus.inject({ address: 0x48, op: 'readWord', skip: 1, times: 2, effect: 'EIO' });
    await bus.readWord(0x48, 0);
    await bus.writeWord(0x48, 2, 0);
    expect((await rejection(bus.readWord(0x48, 0))).code).toBe('EIO');
    expect((await rejection(bus.readWord(0x48, 0))).code).toBe('EIO');
    await bus.readWord(0x48, 0);
    expect(bus.log.map((t) => t.error)).toEqual([undefined, undefined, 'EIO', 'EIO', undefined]);
  });

  it('hangs a stuck transfer until unstick(), which fails it with ETIMEDOUT', async () => {
    const bus = new FakeI2cBus().attach(0x48, new FakeTmp102());
    bus.inject({ effect: 'stuck' });
    const hung = rejection(bus.readWord(0x48, 0));
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.hanging).toBe(1);
    expect(bus.log[0]?.error).toBe('stuck');
    bus.unstick();
    expect((await hung).code).toBe('ETIMEDOUT');
    expect(bus.log[0]?.error).toBe('ETIMEDOUT');
  });

  it('fails transfers on a closed bus with EBADF', async () => {
    const bus = new FakeI2cBus().attach(0x48, new FakeTmp102());
    await bus.close();
    expect((await rejection(bus.readWord(0x48, 0))).code).toBe('EBADF');
  });
});
