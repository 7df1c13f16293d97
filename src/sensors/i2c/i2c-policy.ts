/** How the I2C layer bounds and retries work. Every field has a default ({@link DEFAULT_I2C_POLICY}). */
export interface I2cPolicy {
  /**
   * Bound on one transaction, waiting for the bus included: a transfer that never completes (a
   * stuck bus) fails with SPATIA_I2C_IO after this long instead of blocking the bus's other
   * sensors forever. Longer than the slowest transaction (bh1750: 180 ms) plus a queue of them.
   */
  readonly transactionTimeoutMs: number;
  /** Consecutive failed reads after which the device is re-probed, with backoff in between. */
  readonly failuresBeforeBackoff: number;
  /** First backoff; doubled after every failed recovery up to `backoffMaxMs`. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /**
   * A measurement at most this old is handed to the device's other sensors (bme280 temperature,
   * humidity and pressure as three sensors take one measurement per tick); a sensor never gets
   * the same measurement twice.
   */
  readonly shareMs: number;
}

export const DEFAULT_I2C_POLICY: I2cPolicy = {
  transactionTimeoutMs: 1000,
  failuresBeforeBackoff: 3,
  backoffInitialMs: 1000,
  backoffMaxMs: 60_000,
  shareMs: 50,
};
