import { describe, expect, it } from 'vitest';
import { type IntervalScheduler, unrefIntervalScheduler, WatchdogPinger, type WatchdogPingerOptions } from '../../../src/platform/watchdog-pinger.js';

/** A scheduler the test fires by hand: `fire(ms)` runs every timer of that period once. */
class ManualScheduler implements IntervalScheduler {
  readonly timers = new Map<number, { periodMs: number; fn: () => void }>();
  private next = 0;

  every(periodMs: number, fn: () => void): () => void {
    const id = this.next++;
    this.timers.set(id, { periodMs, fn });
    return () => this.timers.delete(id);
  }

  periods(): number[] {
    return [...this.timers.values()].map((t) => t.periodMs).sort((a, b) => a - b);
  }

  fire(periodMs: number): void {
    for (const t of [...this.timers.values()]) if (t.periodMs === periodMs) t.fn();
  }
}

/** Records what reaches the notifier, in order. */
function recorder(): { sent: string[]; notifier: WatchdogPingerOptions['notifier'] } {
  const sent: string[] = [];
  return { sent, notifier: { watchdog: () => sent.push('WATCHDOG=1'), status: (t) => sent.push(`STATUS=${t}`) } };
}

const WATCHDOG_30S = 30_000_000;

describe('WatchdogPinger', () => {
  it('pings every half of WATCHDOG_USEC, and only when progress advanced since the last ping', () => {
    const { sent, notifier } = recorder();
    const scheduler = new ManualScheduler();
    let ticks = 100;
    const p = new WatchdogPinger({ notifier, watchdogUs: WATCHDOG_30S, progress: () => ticks, scheduler });
    expect(p.pingEveryMs).toBe(15_000);
    p.start();
    expect(scheduler.periods()).toEqual([15_000]);
    expect(sent).toEqual(['WATCHDOG=1']); // at start: systemd arms the watchdog at READY=1
    ticks += 150;
    scheduler.fire(15_000);
    expect(sent).toHaveLength(2);
    // Frozen: the timer still fires (a stuck await does not block timers), but no ping goes out.
    scheduler.fire(15_000);
    scheduler.fire(15_000);
    scheduler.fire(15_000);
    expect(sent).toHaveLength(2);
    expect(p.counts).toEqual({ pings: 2, withheld: 3 });
    ticks += 1;
    scheduler.fire(15_000);
    expect(sent).toHaveLength(3);
  });

  it('reports a stall once and the resumption once', () => {
    const { notifier } = recorder();
    const scheduler = new ManualScheduler();
    const events: string[] = [];
    let ticks = 0;
    const p = new WatchdogPinger({
      notifier,
      watchdogUs: 2_000_000,
      progress: () => ticks,
      scheduler,
      onStall: (n) => events.push(`stall at ${n}`),
      onResume: (n) => events.push(`resume at ${n}`),
    });
    p.start();
    ticks = 5;
    scheduler.fire(1000);
    scheduler.fire(1000);
    scheduler.fire(1000);
    ticks = 6;
    scheduler.fire(1000);
    scheduler.fire(1000);
    expect(events).toEqual(['stall at 5', 'resume at 6', 'stall at 6']);
  });

  it('treats a progress function that throws as no progress, and survives throwing observers', () => {
    const { sent, notifier } = recorder();
    const scheduler = new ManualScheduler();
    let broken = false;
    let ticks = 0;
    const p = new WatchdogPinger({
      notifier,
      watchdogUs: 2_000_000,
      progress: () => {
        if (broken) throw new Error('engine gone');
        return ticks;
      },
      scheduler,
      onStall: () => {
        throw new Error('logger gone');
      },
    });
    p.start();
    broken = true;
    ticks = 10;
    expect(() => scheduler.fire(1000)).not.toThrow();
    expect(sent).toEqual(['WATCHDOG=1']);
    broken = false;
    scheduler.fire(1000);
    expect(sent).toEqual(['WATCHDOG=1', 'WATCHDOG=1']);
  });

  it('without a watchdog sends no ping but keeps STATUS current, resending only changes', () => {
    const { sent, notifier } = recorder();
    const scheduler = new ManualScheduler();
    let text = '10.00 Hz; 5 sensors ok';
    const p = new WatchdogPinger({ notifier, watchdogUs: undefined, progress: () => 0, status: () => text, statusEveryMs: 5000, scheduler });
    expect(p.pingEveryMs).toBeUndefined();
    p.start();
    expect(scheduler.periods()).toEqual([5000]);
    scheduler.fire(5000);
    text = '9.98 Hz; 1 sensor stale';
    scheduler.fire(5000);
    expect(sent).toEqual(['STATUS=10.00 Hz; 5 sensors ok', 'STATUS=9.98 Hz; 1 sensor stale']);
  });

  it('skips a status callback that throws, for that period only', () => {
    const { sent, notifier } = recorder();
    const scheduler = new ManualScheduler();
    let fail = true;
    const p = new WatchdogPinger({
      notifier,
      watchdogUs: undefined,
      progress: () => 0,
      status: () => {
        if (fail) throw new Error('no stats yet');
        return 'ok';
      },
      scheduler,
    });
    p.start();
    expect(scheduler.periods()).toEqual([10_000]);
    fail = false;
    scheduler.fire(10_000);
    expect(sent).toEqual(['STATUS=ok']);
  });

  it('stop() cancels every timer; start() twice does not double them', () => {
    const { sent, notifier } = recorder();
    const scheduler = new ManualScheduler();
    let ticks = 0;
    const p = new WatchdogPinger({ notifier, watchdogUs: WATCHDOG_30S, progress: () => ticks, status: () => `t${ticks}`, scheduler });
    p.start();
    p.start();
    expect(scheduler.timers.size).toBe(2);
    p.stop();
    expect(scheduler.timers.size).toBe(0);
    ticks = 1;
    scheduler.fire(15_000);
    expect(sent).toEqual(['WATCHDOG=1', 'STATUS=t0']);
  });
});

describe('unrefIntervalScheduler', () => {
  // That its timer does not keep a process alive is tested with a real child process
  // (test/integration/service/notify-child.test.ts).
  it('repeats until cancelled', async () => {
    let n = 0;
    const cancel = unrefIntervalScheduler.every(5, () => (n += 1));
    const start = Date.now();
    while (n < 3 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 5));
    cancel();
    const at = n;
    await new Promise((r) => setTimeout(r, 30));
    expect(at).toBeGreaterThanOrEqual(3);
    expect(n).toBe(at);
  });
});
