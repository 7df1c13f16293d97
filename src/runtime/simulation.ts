import type { DeploymentModel } from '../config/model.js';
import { simulateAction } from '../actions/sim-executor.js';
import { SimSampler } from '../sensors/sim-sampler.js';
import { buildEngine } from '../core/build-graph.js';
import { ConfigError } from '../config/issues.js';
import type { Engine } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import type { Frame } from '../core/frame.js';
import { tickTimeUs, ticksBefore } from '../conditions/temporal-op.js';

export interface SimulationOptions {
  /** `--seed`: seeds random_walk signals. Default 1. */
  readonly seed?: number;
  /** Directory that relative paths in signals (csv) are resolved against. */
  readonly baseDir?: string;
  /** Every node on its closures rather than flat programs (tests and benches; see BuildOptions). */
  readonly closures?: boolean;
}

/**
 * A deployment running on the simulated clock: mock signals in, event records out, one tick per
 * `tick()` call. Nothing here waits or reads a clock; pacing (`--speed`) is the caller's business.
 */
export class Simulation {
  readonly engine: Engine;
  readonly sampler: SimSampler;
  /** The next tick to run. */
  tickIndex = 0;
  readonly counts = { ticks: 0, edges: 0, actions: 0, sensorEvents: 0 };

  constructor(readonly model: DeploymentModel, opts: SimulationOptions = {}) {
    const { engine, issues } = buildEngine(model, { closures: opts.closures === true });
    if (engine === undefined) throw new ConfigError(issues.sorted());
    this.engine = engine;
    this.sampler = new SimSampler(model, opts.seed ?? 1, opts.baseDir ?? '.');
  }

  get periodUs(): number {
    return this.engine.periodUs;
  }

  /** Runs one tick; records are appended to `out` in log order. */
  tick(out: EventRecord[]): void {
    this.stepWith(this.sampler.sample(tickTimeUs(this.tickIndex, this.engine.periodUs)), out);
  }

  /**
   * Runs the next tick on recorded input (`frame`, from the journal) instead of the sampler's.
   * The sampler still samples the tick, so that its signals and faults stay where an
   * uninterrupted run would have them when live ticks take over.
   */
  replayTick(frame: Frame, out: EventRecord[]): void {
    this.sampler.sample(tickTimeUs(this.tickIndex, this.engine.periodUs));
    this.stepWith(frame, out);
  }

  /** Plain-JSON state: the engine's, the sampler's and the next tick. */
  snapshot(): { tickIndex: number; engine: unknown; sampler: unknown } {
    return { tickIndex: this.tickIndex, engine: this.engine.snapshot(), sampler: this.sampler.snapshot() };
  }

  restore(state: { tickIndex: number; engine: unknown; sampler: unknown }): void {
    this.engine.restore(state.engine);
    this.sampler.restore(state.sampler);
    this.tickIndex = state.tickIndex;
  }

  private stepWith(frame: Frame, out: EventRecord[]): void {
    const k = this.tickIndex++;
    const { records, actions } = this.engine.step(frame, k);
    this.counts.ticks++;
    for (let i = 0; i < records.length; i++) {
      const r = records[i] as EventRecord;
      if (r.type === 'edge') this.counts.edges++;
      else this.counts.sensorEvents++;
      out.push(r);
    }
    for (let i = 0; i < actions.length; i++) {
      this.counts.actions++;
      out.push(simulateAction(actions[i] as (typeof actions)[number]));
    }
  }

  /** Runs every tick with t < durationUs and returns all records (tests, the API). */
  runFor(durationUs: number): EventRecord[] {
    const out: EventRecord[] = [];
    const end = ticksBefore(durationUs, this.engine.periodUs);
    while (this.tickIndex < end) this.tick(out);
    return out;
  }
}
