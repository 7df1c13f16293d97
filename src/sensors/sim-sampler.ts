import type { DeploymentModel, SensorModel } from '../config/model.js';
import { Frame, ReadStatus } from '../core/frame.js';
import { createSignal } from './mock/create-signal.js';
import { FaultSchedule } from './mock/faults.js';
import { MockSource } from './mock/mock-source.js';
import { sampleTime } from './mock/sample-time.js';

/**
 * Produces each tick's Frame in `spatia sim`: every sensor with a mock signal (`kind: mock`, or
 * `sim: {signal}` on a hardware sensor) is read when due by its `sample_every`. Deterministic:
 * time comes only from the tick number, randomness only from the seed.
 */
export class SimSampler {
  readonly frame: Frame;
  private readonly sources: Array<MockSource | undefined>;
  private readonly everyUs: Float64Array;
  private readonly nextUs: Float64Array;
  /** The tick's time, set once per tick and handed to every source (see SampleTime). */
  private readonly at = sampleTime();
  /** Whether each sensor's readings go in `num` (number, boolean) rather than `obj`. */
  private readonly numeric: readonly boolean[];
  /** Each sensor's wrong-type error, built once: one mistyped reading per tick would allocate it. */
  private readonly typeErrors: readonly string[];
  /** Sensors with no signal to simulate: they stay unknown in `sim`. */
  readonly silent: readonly string[];

  constructor(model: DeploymentModel, seed: number, baseDir: string) {
    const sensors = model.sensors;
    this.frame = new Frame(sensors.length);
    this.sources = sensors.map((s) =>
      s.sim === undefined
        ? undefined
        : new MockSource(createSignal(s.sim.signal, { seed, sensorId: s.id, baseDir }), new FaultSchedule(s.sim.faults)),
    );
    this.silent = sensors.filter((s, i) => this.sources[i] === undefined).map((s) => s.id);
    this.everyUs = Float64Array.from(sensors, (s) => s.sampleEveryUs ?? 0);
    this.nextUs = new Float64Array(sensors.length);
    this.numeric = sensors.map((s) => isNumeric(s.valueType));
    this.typeErrors = sensors.map((s) => `returned a ${isNumeric(s.valueType) ? 'non-number' : 'number'}, but the sensor is declared ${s.valueType}`);
  }

  /** Fills the frame for the tick at `tUs` and returns it. Allocates nothing but `paths` records. */
  sample(tUs: number): Frame {
    // Kept under V8's 27 bytes of bytecode for a small function, which an optimised caller inlines
    // whatever its inlining budget: `tUs` (past 2^30 us, no small integer) then goes from the
    // caller's arithmetic into `at` unboxed, where a call not inlined would box it every tick.
    this.at[0] = tUs;
    return this.sampleAt();
  }

  /** {@link SimSampler.sample} at `at[0]`. */
  private sampleAt(): Frame {
    const f = this.frame;
    f.clear();
    const tUs = this.at[0] as number;
    for (let i = 0; i < this.sources.length; i++) {
      const src = this.sources[i];
      if (src === undefined || tUs < (this.nextUs[i] ?? 0)) continue;
      const every = this.everyUs[i] ?? 0;
      // Stay on the sample_every grid even when it does not divide the tick period.
      if (every > 0) while ((this.nextUs[i] ?? 0) <= tUs) this.nextUs[i] = (this.nextUs[i] ?? 0) + every;
      f.obj[i] = undefined;
      if (src.readAt(this.at, f, i) === ReadStatus.Ok) this.checkType(i);
    }
    return f;
  }

  /** A reading of the wrong type (a string on a number sensor) is garbage, not a value. */
  private checkType(i: number): void {
    const gotNumber = this.frame.obj[i] === undefined;
    if (gotNumber === this.numeric[i]) return;
    this.frame.status[i] = ReadStatus.Garbage;
    this.frame.error[i] = this.typeErrors[i];
  }

  snapshot(): unknown {
    return { next: Array.from(this.nextUs), sources: this.sources.map((s) => s?.snapshot() ?? null) };
  }

  restore(state: unknown): void {
    const s = state as { next: number[]; sources: unknown[] };
    s.next.forEach((v, i) => (this.nextUs[i] = v));
    s.sources.forEach((v, i) => this.sources[i]?.restore(v));
  }
}

function isNumeric(type: SensorModel['valueType']): boolean {
  return type === 'number' || type === 'boolean';
}
