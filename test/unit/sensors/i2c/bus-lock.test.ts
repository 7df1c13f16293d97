import { describe, expect, it } from 'vitest';
import { BusLock } from '../../../../src/sensors/i2c/bus-lock.js';
import { rejection } from './harness.js';
import { VirtualTimers } from './virtual-timers.js';

/** A transaction of `steps` steps of `stepMs` each, recording them. */
function job(name: string, steps: number, stepMs: number, timers: VirtualTimers, trace: string[]) {
  return async (abandoned: AbortSignal): Promise<string> => {
    for (let i = 0; i < steps; i++) {
      abandoned.throwIfAborted();
      trace.push(`${name}${i}`);
      await new Promise<void>((resolve) => timers.schedule(resolve, stepMs));
    }
    return name;
  };
}

describe('BusLock', () => {
  it('runs transactions whole and in order: steps never interleave', async () => {
    const timers = new VirtualTimers();
    const lock = new BusLock(timers);
    const trace: string[] = [];
    const all = Promise.all(['a', 'b', 'c'].map((n) => lock.run(job(n, 3, 5, timers, trace), { timeoutMs: 1000 })));
    expect(await timers.run(all)).toEqual(['a', 'b', 'c']);
    expect(trace).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2']);
    expect(lock.held).toBe(false);
    expect(timers.pending).toBe(0);
  });

  it('gives up on a transaction past its timeout, but keeps the bus until its step in progress ends', async () => {
    const timers = new VirtualTimers();
    const lock = new BusLock(timers);
    let finishStep: () => void = () => undefined;
    const stuck = lock.run(() => new Promise<void>((resolve) => (finishStep = resolve)), { timeoutMs: 100 });
    const stuckErr = rejection(stuck);
    await timers.advance(100);
    expect(await stuckErr).toMatchObject({ code: 'ETIMEDOUT', message: expect.stringMatching(/stuck bus/) as unknown });
    expect(lock.held).toBe(true);

    // The next transaction waits behind the hung step and times out itself ("bus busy").
    const trace: string[] = [];
    const next = rejection(lock.run(job('n', 1, 1, timers, trace), { timeoutMs: 50 }));
    await timers.advance(50);
    expect(await next).toMatchObject({ code: 'ETIMEDOUT', message: expect.stringMatching(/busy/) as unknown });
    expect(trace).toEqual([]);
    expect(lock.waiting).toBe(0);

    // Once the hung step ends, the bus is free again.
    finishStep();
    await timers.flush();
    expect(lock.held).toBe(false);
    expect(await timers.run(lock.run(job('m', 1, 1, timers, trace), { timeoutMs: 50 }))).toBe('m');
  });

  it('tells an abandoned transaction to take no further step', async () => {
    const timers = new VirtualTimers();
    const lock = new BusLock(timers);
    const trace: string[] = [];
    const err = rejection(lock.run(job('a', 5, 40, timers, trace), { timeoutMs: 100 }));
    await timers.advance(1000);
    expect((await err).code).toBe('ETIMEDOUT');
    expect(trace).toEqual(['a0', 'a1', 'a2']);
    expect(lock.held).toBe(false);
  });

  it('cancels through the AbortSignal, waiting or running', async () => {
    const timers = new VirtualTimers();
    const lock = new BusLock(timers);
    const trace: string[] = [];
    const ctl = new AbortController();
    const first = rejection(lock.run(job('a', 3, 10, timers, trace), { timeoutMs: 1000, signal: ctl.signal }));
    const second = rejection(lock.run(job('b', 3, 10, timers, trace), { timeoutMs: 1000, signal: ctl.signal }));
    await timers.advance(5);
    ctl.abort(new Error('closed'));
    expect((await first).message).toBe('closed');
    expect((await second).message).toBe('closed');
    await timers.advance(100);
    expect(trace).toEqual(['a0']);
    expect(lock.held).toBe(false);
    expect(timers.pending).toBe(0);
    const already = rejection(lock.run(job('c', 1, 1, timers, trace), { timeoutMs: 10, signal: ctl.signal }));
    expect((await already).message).toBe('closed');
  });

  it('releases the lock when a transaction throws, even synchronously', async () => {
    const timers = new VirtualTimers();
    const lock = new BusLock(timers);
    const boom = (): Promise<never> => {
      throw new Error('boom');
    };
    expect((await rejection(lock.run(boom, { timeoutMs: 10 }))).message).toBe('boom');
    expect(await timers.run(lock.run(() => Promise.resolve(7), { timeoutMs: 10 }))).toBe(7);
    expect(timers.pending).toBe(0);
  });
});
