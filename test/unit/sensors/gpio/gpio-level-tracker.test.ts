import { describe, expect, it } from 'vitest';
import type { GpioEdge, GpioLevel } from '../../../../src/sensors/gpio/gpio-backend.js';
import { GpioLevelTracker } from '../../../../src/sensors/gpio/gpio-level-tracker.js';
import type { GpioTimers } from '../../../../src/sensors/gpio/gpio-timers.js';
import { ManualTimers, settle } from './manual-timers.js';

/** A tracker over a line whose level the test sets; `delivered` records what it reports. */
function harness(edge: Exclude<GpioEdge, 'none'>, debounceUs = 0, wrap: (t: ManualTimers) => GpioTimers = (t) => t) {
  const timers = new ManualTimers();
  const line = { level: 0 as GpioLevel, reads: 0, gate: undefined as Promise<void> | undefined, error: undefined as Error | undefined };
  const delivered: boolean[] = [];
  const failures: unknown[] = [];
  const tracker = new GpioLevelTracker({
    edge,
    debounceUs,
    timers: wrap(timers),
    read: async () => {
      line.reads += 1;
      const level = line.level;
      if (line.gate !== undefined) await line.gate;
      if (line.error !== undefined) throw line.error;
      return level;
    },
    deliver: (active) => delivered.push(active),
    fail: (err) => failures.push(err),
  });
  /** The line changes level and notifies, like an interrupt. */
  const change = (level: GpioLevel): void => {
    line.level = level;
    tracker.onLevel(level);
  };
  return { timers, line, delivered, failures, tracker, change };
}

describe('GpioLevelTracker', () => {
  it.each<[Exclude<GpioEdge, 'none'>, boolean[]]>([
    ['both', [true, false, true, false, true]],
    ['rising', [true, true, true]],
    ['falling', [true, false, false]],
  ])('edge %s: the initial level whatever the edge, then the matching changes', async (edge, expected) => {
    const h = harness(edge);
    h.line.level = 1;
    h.tracker.start();
    await settle();
    // 1 (initial) -> 0 -> 1 -> 0 -> 0 (no change) -> 1
    for (const level of [0, 1, 0, 0, 1] as const) h.change(level);
    await settle();
    expect(h.delivered).toEqual(expected);
  });

  it('debounce: a bouncing press is delivered once, after the line has been quiet for the debounce', async () => {
    const h = harness('both', 20_000);
    h.tracker.start();
    await settle();
    expect(h.delivered).toEqual([false]);
    h.change(1);
    h.timers.advance(5);
    h.change(0);
    h.timers.advance(3);
    h.change(1);
    h.timers.advance(19);
    await settle();
    expect(h.delivered).toEqual([false]);
    h.timers.advance(1);
    await settle();
    expect(h.delivered).toEqual([false, true]);
  });

  it('debounce: a glitch shorter than the debounce is never delivered', async () => {
    const h = harness('both', 10_000);
    h.tracker.start();
    await settle();
    h.change(1);
    h.timers.advance(4);
    h.change(0);
    h.timers.advance(50);
    await settle();
    expect(h.delivered).toEqual([false]);
  });

  it('debounce applies before the edge filter (rising after a debounced release)', async () => {
    const h = harness('rising', 1000);
    h.line.level = 1;
    h.tracker.start();
    await settle();
    h.change(0);
    h.timers.advance(1);
    await settle();
    h.change(1);
    h.timers.advance(1);
    await settle();
    expect(h.delivered).toEqual([true, true]);
  });

  it('every change restarts the quiet period', async () => {
    const h = harness('both', 10_000);
    h.tracker.start();
    await settle();
    h.change(1);
    h.timers.advance(6);
    h.change(1);
    h.timers.advance(9);
    await settle();
    expect(h.delivered).toEqual([false]);
    h.timers.advance(1);
    await settle();
    expect(h.delivered).toEqual([false, true]);
  });

  it('a timer that fires early is re-armed for the rest of the debounce', async () => {
    const h = harness('both', 10_000, (t) => ({ nowMs: () => t.nowMs(), after: (ms, cb) => t.after(ms * 0.7, cb) }));
    h.tracker.start();
    await settle();
    h.change(1);
    h.timers.advance(9.9);
    await settle();
    expect(h.delivered).toEqual([false]);
    h.timers.advance(2);
    await settle();
    expect(h.delivered).toEqual([false, true]);
  });

  it('reads are serialized: a change during a read is read again after it, never lost', async () => {
    const h = harness('both');
    let open: () => void = () => undefined;
    h.line.gate = new Promise<void>((resolve) => (open = resolve));
    h.tracker.start(); // initial read, held in flight (reads 0)
    h.change(1); // not initialised yet: asks for another read
    h.change(0);
    h.change(1);
    h.line.gate = undefined;
    open();
    await settle();
    expect(h.line.reads).toBe(2);
    expect(h.delivered).toEqual([false, true]);
  });

  it('a failed read goes to fail(); stop() ends deliveries and timers', async () => {
    const h = harness('both', 1000);
    h.line.error = new Error('EIO');
    h.tracker.start();
    await settle();
    expect(h.failures).toHaveLength(1);
    h.line.error = undefined;
    h.change(1);
    h.tracker.stop();
    expect(h.timers.pending()).toBe(0);
    h.change(0);
    h.timers.advance(10);
    await settle();
    expect(h.delivered).toEqual([]);
  });
});
