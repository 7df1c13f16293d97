import { type Frame, ReadStatus } from '../../core/frame.js';
import type { FaultSchedule } from './faults.js';
import type { Signal } from './signal.js';

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
 * `error` is cleared on every non-fault read; `num`/`obj` are only written on `Ok`.
 */
export class MockSource {
  constructor(
    private readonly signal: Signal,
    private readonly faults: FaultSchedule,
  ) {}

  /** Reads the sensor at `tUs` (non-decreasing across calls) into slot `index` of `frame`. */
  read(tUs: number, frame: Frame, index: number): ReadStatus {
    const mode = this.faults.modeAt(tUs);
    if (mode !== undefined) {
      const status = mode === 'timeout' ? ReadStatus.Timeout : mode === 'error' ? ReadStatus.Error : ReadStatus.Garbage;
      frame.status[index] = status;
      frame.error[index] = mode === 'nan' ? 'returned NaN' : `mock fault: ${mode}`;
      return status;
    }
    const value = this.signal.valueAt(tUs);
    frame.error[index] = undefined;
    let status: ReadStatus = ReadStatus.Ok;
    if (typeof value === 'number') {
      if (Number.isNaN(value)) status = ReadStatus.None;
      else frame.num[index] = value;
    } else if (typeof value === 'boolean') {
      frame.num[index] = value ? 1 : 0;
    } else {
      frame.obj[index] = value;
    }
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
