/**
 * Exponential reopen delays: `initialMs`, doubling up to `maxMs`, back to `initialMs` after
 * `reset()` (when the device proved itself alive by sending data, not merely by opening).
 */
export class ReconnectBackoff {
  private failures = 0;

  constructor(
    private readonly initialMs = 500,
    private readonly maxMs = 30_000,
  ) {}

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const delayMs = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return delayMs;
  }

  reset(): void {
    this.failures = 0;
  }
}
