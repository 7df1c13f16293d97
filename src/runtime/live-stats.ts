import * as hdr from 'hdr-histogram-js';

/** Microsecond histograms from 1 µs to 10 min with 3 significant digits. */
function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: 3 });
}

/** A summary of one histogram, in milliseconds. */
export interface Percentiles {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The live loop's timing figures (SPEC §8's lateness and tick duration). */
export class LiveStats {
  readonly lateness = histogram();
  readonly duration = histogram();

  recordLateness(us: number): void {
    this.lateness.recordValue(Math.max(1, Math.round(us)));
  }

  recordDuration(us: number): void {
    this.duration.recordValue(Math.max(1, Math.round(us)));
  }

  static percentiles(h: hdr.Histogram): Percentiles {
    const ms = (v: number): number => Math.round(v) / 1000;
    return {
      p50Ms: ms(h.getValueAtPercentile(50)),
      p90Ms: ms(h.getValueAtPercentile(90)),
      p99Ms: ms(h.getValueAtPercentile(99)),
      maxMs: ms(h.maxValue),
    };
  }
}
