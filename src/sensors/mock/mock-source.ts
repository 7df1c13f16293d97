import { type Frame, ReadStatus } from '../../core/frame.js';
import type { FaultMode, FaultSchedule } from './faults.js';
import { type SampleTime, sampleTime } from './sample-time.js';
import type { Signal } from './signal.js';

/** Per fault mode, built once: a template string per faulty read would allocate every tick. */
const FAULT_STATUS: Readonly<Record<FaultMode, ReadStatus>> = { timeout: ReadStatus.Timeout, error: ReadStatus.Error, nan: ReadStatus.Garbage };
const FAULT_ERROR: Readonly<Record<FaultMode, string>> = { timeout: 'mock fault: timeout', error: 'mock fault: error', nan: 'returned NaN' };

/**
 * A mock sensor: a {@link Signal} with its {@link FaultSchedule}, read into one slot of a
 * {@link Frame} the way a real sensor's sampler would.
 *
 * What `read` writes at `index`:
 * - no fault, number: `num` = value, status `Ok`; boolean: `num` = 1 or 0, `Ok`;
 *   string, object, array or null: `obj` = value, `Ok`.
 * - no fault, numeric `NaN` (before the first `steps`/`csv` row, or a `csv` gap): status `None`,
 *   "not read", so the sensor is unknown or goes stale rather than failing.
 * - fault `timeout`: status `Timeout`, error `mock fault: timeout`; `error`: status `Error`, error
 *   `mock fault: error`; `nan`: status `Garbage`, error `returned NaN`.
 *
 * During a fault the signal is not sampled at all: time-based signals are unaffected, and a
 * `random_walk` pauses and resumes where it stopped, as if the readings had been lost in transit.
 * `error` is cleared on every non-fault read; `num`/`obj` are only written on `Ok`. Reading
 * allocates nothing unless the signal's value itself is new (`paths`).
 */
export class MockSource {
  /** Where {@link MockSource.read} puts its `tUs` for {@link MockSource.readAt}. */
  private readonly at = sampleTime();

  constructor(
    private readonly signal: Signal,
    private readonly faults: FaultSchedule,
  ) {}

  /** Reads the sensor at `tUs` (non-decreasing across calls) into slot `index` of `frame`. */
  read(tUs: number, frame: Frame, index: number): ReadStatus {
    this.at[0] = tUs;
    return this.readAt(this.at, frame, index);
  }

  /**
   * {@link MockSource.read} at `at[0]`: for a sampler that reads many sources at one time, without
   * passing the time as a number to each (see {@link SampleTime}).
   */
  readAt(at: SampleTime, frame: Frame, index: number): ReadStatus {
    const mode = this.faults.modeAt(at);
    if (mode !== undefined) {
      const status = FAULT_STATUS[mode];
      frame.status[index] = status;
      frame.error[index] = FAULT_ERROR[mode];
      return status;
    }
    const status = this.signal.writeTo(at, frame, index);
    frame.error[index] = undefined;
    frame.status[index] = status;
    return status;
  }

  /** The signal's state; the fault schedule is a function of time and needs none. */
  snapshot(): unknown {
    return this.signal.snapshot();
  }

  restore(state: unknown): void {
    this.signal.restore(state);
  }
}
