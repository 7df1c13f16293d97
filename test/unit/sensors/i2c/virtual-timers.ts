import type { I2cTimers } from '../../../../src/sensors/i2c/i2c-timers.js';

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * Virtual time for the I2C layer: timers fire only when a test advances the clock, in due order,
 * with pending promise callbacks (the fake bus settles in microtasks) run between them.
 */
export class VirtualTimers implements I2cTimers {
  private now = 0;
  private seq = 0;
  private timers: Timer[] = [];

  nowMs(): number {
    return this.now;
  }

  schedule(fn: () => void, ms: number): () => void {
    const timer: Timer = { atMs: this.now + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers scheduled and neither fired nor cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Lets every promise callback that can run, run. */
  async flush(): Promise<void> {
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Moves the clock forward by `ms`, firing the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    await this.flush();
    for (let next = this.next(); next !== undefined && next.atMs <= until; next = this.next()) await this.fire(next);
    this.now = until;
    await this.flush();
  }

  /**
   * Resolves or rejects as `p` does, moving the clock to each next timer whenever nothing else can
   * run. Fails if `p` can never settle (no timer left) or needs more than `limitMs`.
   */
  async run<T>(p: Promise<T>, limitMs = 600_000): Promise<T> {
    let settled = false;
    void p.then(
      () => (settled = true),
      () => (settled = true),
    );
    const start = this.now;
    await this.flush();
    while (!settled) {
      const next = this.next();
      if (next === undefined) throw new Error('VirtualTimers.run: the promise is pending and no timer is scheduled');
      if (next.atMs - start > limitMs) throw new Error(`VirtualTimers.run: not settled within ${limitMs} ms`);
      await this.fire(next);
    }
    return p;
  }

  private next(): Timer | undefined {
    this.timers = this.timers.filter((t) => !t.cancelled);
    let best: Timer | undefined;
    for (const t of this.timers) if (best === undefined || t.atMs < best.atMs || (t.atMs === best.atMs && t.seq < best.seq)) best = t;
    return best;
  }

  private async fire(timer: Timer): Promise<void> {
    timer.cancelled = true;
    this.now = Math.max(this.now, timer.atMs);
    timer.fn();
    await this.flush();
  }
}
