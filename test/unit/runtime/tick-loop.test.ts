import { describe, expect, it } from 'vitest';
import { type Rebase, TickLoop, type TickTiming } from '../../../src/runtime/tick-loop.js';
import { VirtualClock } from '../../helpers/virtual-clock.js';

const P = 100_000; // 10 Hz

function loopWith(clock: VirtualClock, work: (t: TickTiming) => number, maxCatchUpTicks?: number) {
  const seen: Array<TickTiming & { startUs: number }> = [];
  const rebases: Rebase[] = [];
  const loop = new TickLoop(clock, { periodUs: P, onRebase: (r) => rebases.push(r), ...(maxCatchUpTicks === undefined ? {} : { maxCatchUpTicks }) }, (t) => {
    seen.push({ ...t, startUs: clock.nowUs() });
    clock.advance(work(t));
  });
  return { loop, seen, rebases };
}

describe('TickLoop', () => {
  it('starts tick k at origin + k * period, with consecutive numbers and t = kP', async () => {
    const clock = new VirtualClock(5_000_000);
    const { loop, seen } = loopWith(clock, () => 1_000);
    await loop.run(20);
    expect(seen.map((s) => s.tick)).toEqual([...Array(20).keys()]);
    expect(seen.map((s) => s.startUs - 5_000_000)).toEqual(seen.map((s) => s.tick * P));
    expect(seen.every((s) => s.latenessUs === 0 && s.tUs === s.tick * P)).toBe(true);
    expect(loop.overruns).toBe(0);
  });

  it('counts an overrun and catches up by running the late ticks back to back, without drift', async () => {
    const clock = new VirtualClock();
    // Tick 3 takes 2.5 periods: ticks 4 and 5 are late and run at once; tick 6 is on time again.
    const { loop, seen } = loopWith(clock, (t) => (t.tick === 3 ? 250_000 : 1_000));
    await loop.run(10);
    expect(loop.overruns).toBe(1);
    const late = seen.filter((s) => s.latenessUs > 0).map((s) => [s.tick, s.latenessUs]);
    expect(late).toEqual([
      [4, 150_000],
      [5, 51_000],
    ]);
    expect(seen[6]?.startUs).toBe(6 * P);
    expect(seen[9]?.startUs).toBe(9 * P);
  });

  it('gives up lost time beyond the catch-up bound: one rebase, tick numbers stay consecutive', async () => {
    const clock = new VirtualClock();
    // A 5 s stall at tick 2 (a suspended machine): far more than 10 ticks behind.
    const { loop, seen, rebases } = loopWith(clock, (t) => (t.tick === 2 ? 5_000_000 : 0), 10);
    await loop.run(8);
    expect(rebases).toEqual([{ tick: 3, skippedUs: 4_900_000 }]);
    expect(loop.skippedUs).toBe(4_900_000);
    expect(seen.map((s) => s.tick)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // After the rebase the loop is on its new schedule: tick k at k * P + 4.9 s.
    expect(seen.slice(3).map((s) => s.startUs - s.tick * P)).toEqual([4_900_000, 4_900_000, 4_900_000, 4_900_000, 4_900_000]);
  });

  it('never overlaps ticks: an async body finishes before the next tick starts', async () => {
    const clock = new VirtualClock();
    const events: string[] = [];
    const loop = new TickLoop(clock, { periodUs: P }, async (t) => {
      events.push(`start ${t.tick}`);
      await new Promise((r) => setTimeout(r, 1));
      clock.advance(150_000);
      events.push(`end ${t.tick}`);
    });
    await loop.run(3);
    expect(events).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('stop() ends the run after the tick in progress', async () => {
    const clock = new VirtualClock();
    const loop = new TickLoop(clock, { periodUs: P }, (t) => {
      if (t.tick === 4) loop.stop();
    });
    await loop.run();
    expect(loop.ticks).toBe(5);
  });
});
