import type { DeploymentModel, SensorModel } from '../config/model.js';
import { Frame, ReadStatus } from '../core/frame.js';
import { createSignal } from './mock/create-signal.js';
import { FaultSchedule } from './mock/faults.js';
import { MockSource } from './mock/mock-source.js';

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
  private readonly types: ReadonlyArray<SensorModel['valueType']>;
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
    this.types = sensors.map((s) => s.valueType);
  }

  /** Fills the frame for the tick at `tUs` and returns it. */
  sample(tUs: number): Frame {
    const f = this.frame;
    f.clear();
    for (let i = 0; i < this.sources.length; i++) {
      const src = this.sources[i];
      if (src === undefined || tUs < (this.nextUs[i] ?? 0)) continue;
      const every = this.everyUs[i] ?? 0;
      // Stay on the sample_every grid even when it does not divide the tick period.
      if (every > 0) while ((this.nextUs[i] ?? 0) <= tUs) this.nextUs[i] = (this.nextUs[i] ?? 0) + every;
      f.obj[i] = undefined;
      if (src.read(tUs, f, i) === ReadStatus.Ok) this.checkType(i);
    }
    return f;
  }

  /** A reading of the wrong type (a string on a number sensor) is garbage, not a value. */
  private checkType(i: number): void {
    const type = this.types[i];
    const gotNumber = this.frame.obj[i] === undefined;
    const wantNumber = type === 'number' || type === 'boolean';
    if (gotNumber === wantNumber) return;
    this.frame.status[i] = ReadStatus.Garbage;
    this.frame.error[i] = `returned a ${gotNumber ? 'number' : 'non-number'}, but the sensor is declared ${type}`;
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
