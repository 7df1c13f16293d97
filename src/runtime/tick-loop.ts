import { tickTimeUs } from '../conditions/temporal-op.js';
import type { Clock } from '../platform/clock.js';

/** What the loop tells its body about the tick it runs. */
export interface TickTiming {
  /** The tick number: consecutive from the first (0 unless resumed), never skipped. */
  readonly tick: number;
  /** The tick's time in the run (t = k * period), in µs: what the event log says. */
  readonly tUs: number;
  /** How late the tick started against its schedule, in µs (>= 0). */
  readonly latenessUs: number;
}

/** A catch-up that gave up: the loop stopped trying to make up for `skippedUs` of lost time. */
export interface Rebase {
  readonly tick: number;
  readonly skippedUs: number;
}

export interface TickLoopOptions {
  readonly periodUs: number;
  /**
   * How far behind (in ticks) the loop may fall and still catch up by running ticks back to
   * back. Beyond it (a suspended machine, a stall of seconds), the schedule is moved forward
   * instead and the lost time is reported once as a Rebase. Default: one second of ticks, at
   * least 10.
   */
  readonly maxCatchUpTicks?: number;
  /** Called after each tick with its duration (µs), whether it took longer than a period, and how late it started (µs). */
  readonly onTickDone?: (tick: number, durationUs: number, overran: boolean, latenessUs: number) => void;
  readonly onRebase?: (r: Rebase) => void;
}

/**
 * The fixed-rate driver of `spatia run` (SPEC §4.1): tick k is due at origin + k * period on the
 * monotonic clock. Ticks never overlap (the next starts after the body's promise settles). The
 * schedule is absolute, so lateness never accumulates into drift: a tick that overruns makes the
 * next one start late, and the ones after catch up by running back to back until the loop is on
 * schedule again, bounded by `maxCatchUpTicks`.
 */
export class TickLoop {
  /** Ticks run so far. */
  ticks = 0;
  /** Ticks that took longer than one period (which makes the next ones start late). */
  overruns = 0;
  /** Total time given up by rebases, in µs. */
  skippedUs = 0;
  /** When the first and the latest tick started, on the clock (µs): the achieved rate. */
  firstStartUs = 0;
  lastStartUs = 0;
  private stopped = false;
  private readonly maxBehindUs: number;

  constructor(
    private readonly clock: Clock,
    private readonly opts: TickLoopOptions,
    private readonly body: (t: TickTiming) => void | Promise<void>,
  ) {
    const perSecond = Math.ceil(1e6 / opts.periodUs);
    this.maxBehindUs = (opts.maxCatchUpTicks ?? Math.max(10, perSecond)) * opts.periodUs;
  }

  /** Asks the loop to stop after the tick in progress (if any). */
  stop(): void {
    this.stopped = true;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * Runs ticks `first`, `first + 1`, ... until `stop()` or until `maxTicks` ticks have run. A run
   * resumed from its state directory starts at the tick after the previous run's last, so tick
   * numbers (and the times in the log) continue. The body's exceptions propagate (the body is
   * expected to turn failures into data; an exception here is a bug).
   */
  async run(maxTicks = Infinity, first = 0): Promise<void> {
    const { periodUs } = this.opts;
    // Tick `first` is due now: the schedule counts from there.
    const originUs = this.clock.nowUs() - tickTimeUs(first, periodUs);
    let offsetUs = 0;
    for (let k = first; k - first < maxTicks && !this.stopped; k++) {
      const tUs = tickTimeUs(k, periodUs);
      let dueUs = originUs + offsetUs + tUs;
      await this.clock.sleepUntil(dueUs);
      if (this.stopped) break;
      const startUs = this.clock.nowUs();
      if (k === first) this.firstStartUs = startUs;
      this.lastStartUs = startUs;
      let latenessUs = Math.max(0, startUs - dueUs);
      if (latenessUs > this.maxBehindUs) {
        // Give up the lost whole periods rather than racing through them.
        const skipped = Math.floor(latenessUs / periodUs) * periodUs;
        offsetUs += skipped;
        dueUs += skipped;
        latenessUs -= skipped;
        this.skippedUs += skipped;
        this.opts.onRebase?.({ tick: k, skippedUs: skipped });
      }
      const r = this.body({ tick: k, tUs, latenessUs });
      if (r !== undefined) await r;
      this.ticks++;
      const endUs = this.clock.nowUs();
      const overran = endUs - startUs > periodUs;
      if (overran) this.overruns++;
      this.opts.onTickDone?.(k, endUs - startUs, overran, latenessUs);
    }
  }
}
