import type { GpioEdge, GpioLevel } from './gpio-backend.js';
import type { CancelTimer, GpioTimers } from './gpio-timers.js';

/** What a {@link GpioLevelTracker} works with. */
export interface GpioLevelTrackerParts {
  /** Which changes are delivered: `rising` only becoming active, `falling` only becoming inactive. */
  readonly edge: Exclude<GpioEdge, 'none'>;
  /** A new level is delivered only once it has held this long; 0 delivers every change. */
  readonly debounceUs: number;
  readonly timers: GpioTimers;
  /** Reads the line's current logical level. */
  readonly read: () => Promise<GpioLevel>;
  /** A reading: true = active. Called with the initial level, then per delivered edge. */
  readonly deliver: (active: boolean) => void;
  /** A read that failed. */
  readonly fail: (err: unknown) => void;
}

/**
 * Turns a line's raw change notifications into debounced, edge-filtered readings, the same way
 * for every backend and watch mode (interrupts or polling).
 *
 * - The initial level is read and delivered whatever `edge` says.
 * - Debounce: every notification restarts a quiet timer of `debounceUs`; when the line has been
 *   quiet that long the level is read again, and delivered if it differs from the last stable
 *   level. A glitch shorter than the debounce (low-high-low) is never delivered. The level read
 *   then is the truth, so a notification lost in a burst of bounces costs nothing.
 * - Without debounce the notified level is used directly, unless a read is in flight: then one
 *   more read follows it, so an older read can never overwrite a newer level.
 * - Reads are serialized: at most one in flight, and requests meanwhile merge into one follow-up.
 * - Edge filtering happens after debouncing, and the stable level follows every change even when
 *   its edge is not delivered, so `rising` fires again after every release.
 */
export class GpioLevelTracker {
  private stable: GpioLevel | undefined;
  private reading = false;
  private readAgain = false;
  private stopped = false;
  private cancelQuiet: CancelTimer | undefined;
  private lastChangeMs = 0;

  constructor(private readonly parts: GpioLevelTrackerParts) {}

  /** Reads and delivers the initial level. */
  start(): void {
    this.requestRead();
  }

  /** The line reported `level` (after an interrupt or a poll). */
  onLevel(level: GpioLevel): void {
    if (this.stopped) return;
    if (this.parts.debounceUs <= 0) {
      if (this.stable !== undefined && !this.reading) this.accept(level);
      else this.requestRead();
      return;
    }
    this.lastChangeMs = this.parts.timers.nowMs();
    this.armQuiet(this.parts.debounceUs / 1000);
  }

  /** Stops timers and deliveries; a read in flight is ignored when it settles. */
  stop(): void {
    this.stopped = true;
    this.cancelQuiet?.();
    this.cancelQuiet = undefined;
  }

  private armQuiet(delayMs: number): void {
    this.cancelQuiet?.();
    this.cancelQuiet = this.parts.timers.after(delayMs, () => {
      this.cancelQuiet = undefined;
      // Real timers can fire ~1 ms early: wait out the rest rather than cut the debounce short.
      const leftMs = this.lastChangeMs + this.parts.debounceUs / 1000 - this.parts.timers.nowMs();
      // At least 1 ms (setTimeout's granularity), so an early timer cannot spin on a sliver.
      if (leftMs > 0) this.armQuiet(Math.max(1, leftMs));
      else this.requestRead();
    });
  }

  private requestRead(): void {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    void this.readLoop();
  }

  private async readLoop(): Promise<void> {
    try {
      do {
        this.readAgain = false;
        try {
          const level = await this.parts.read();
          if (!this.stopped) this.accept(level);
        } catch (err) {
          if (!this.stopped) this.parts.fail(err);
        }
      } while (this.readAgain && !this.stopped);
    } finally {
      this.reading = false;
    }
  }

  private accept(level: GpioLevel): void {
    const previous = this.stable;
    if (previous === level) return;
    this.stable = level;
    const { edge } = this.parts;
    const wanted = previous === undefined || edge === 'both' || (edge === 'rising') === (level === 1);
    if (wanted) this.parts.deliver(level === 1);
  }
}
