import type { PersistenceEnv } from '../persistence-env.js';
import type { HealthListener } from '../persistence-health.js';
import type { JournalRetention } from './journal-retention.js';

/** How a {@link JournalWriter} is set up; only the first four are required. */
export interface JournalWriterOptions {
  /** The journal directory, `<state_dir>/journal`; created when missing. */
  readonly dir: string;
  /** hashConfig() of the running configuration, stamped into every segment header. */
  readonly configHash: string;
  readonly periodUs: number;
  /** Sensor ids by index (the Frame's layout), stamped into every segment header. */
  readonly sensors: readonly string[];
  /** Group commit: how often pending records are written and fdatasynced. Default 1000 ms. */
  readonly fsyncIntervalMs?: number;
  /** Commit early once this much is pending. Default 1 MiB. */
  readonly commitBytes?: number;
  /** Start a new segment past this size. Default 8 MiB. */
  readonly maxSegmentBytes?: number;
  /** Start a new segment once the current one spans this long. Default 1 h. */
  readonly maxSegmentUs?: number;
  /** Memory bound for input the disk refuses; beyond it pending input is dropped. Default 16 MiB. */
  readonly maxPendingBytes?: number;
  /** Longest wait between retries while the disk refuses writes. Default 30 s. */
  readonly maxRetryMs?: number;
  readonly retention?: JournalRetention;
  readonly onHealth?: HealthListener;
  /**
   * Called after every commit attempt with the newest tick it covered and whether everything up
   * to it is now durable (false while the disk refuses writes: see onHealth).
   */
  readonly onCommit?: (tick: number, durable: boolean) => void;
  readonly env?: Partial<PersistenceEnv>;
}
