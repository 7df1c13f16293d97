import { simulateAction } from '../actions/sim-executor.js';
import { tickTimeUs } from '../conditions/temporal-op.js';
import type { StepResult } from '../core/engine.js';
import { type EventRecord, formatRecord } from '../core/event-record.js';
import type { Frame } from '../core/frame.js';
import type { JournalWriter } from '../persistence/journal/journal-writer.js';
import type { Simulation } from '../runtime/simulation.js';
import { TickPhase } from './tick-phase.js';
import type { TickProfiler } from './tick-profiler.js';

/** What a simulated run produced, besides its records. */
export interface SimCounts {
  edges: number;
  actions: number;
  sensorEvents: number;
  /** Bytes of the event log the run wrote (or would have). */
  logBytes: number;
}

/**
 * Runs a Simulation's ticks under a TickProfiler, as `spatia sim --speed max` runs them: read
 * (mock signals), the engine's phases, dispatch (simulated actions, records formatted as the log's
 * lines) and, when journaling, the journal append. A timed and an untimed tick run the same work;
 * only the timed one reads the clock. A class, not closures, so that the warm-up run and the
 * profiled run share compiled code.
 */
export class ProfiledTicks {
  readonly counts: SimCounts = { edges: 0, actions: 0, sensorEvents: 0, logBytes: 0 };

  constructor(
    private readonly sim: Simulation,
    private readonly profiler: TickProfiler,
    private readonly journal: JournalWriter | undefined,
    /** Receives every record in log order, when given. */
    private readonly out: EventRecord[] | undefined,
  ) {
    profiler.reads.watch(sim.sampler.frame.status);
  }

  /** Runs ticks up to (not including) `end`. */
  run(end: number): void {
    const sim = this.sim;
    const periodUs = sim.periodUs;
    while (sim.tickIndex < end) {
      const k = sim.tickIndex++;
      // beginTick first: on a timed tick its clock read starts the read phase.
      if (this.profiler.beginTick()) this.timed(k, sim.sampler.sample(tickTimeUs(k, periodUs)));
      else this.plain(k, sim.sampler.sample(tickTimeUs(k, periodUs)));
    }
  }

  private plain(k: number, frame: Frame): void {
    this.profiler.reads.countWatched();
    this.dispatch(this.sim.engine.step(frame, k));
    this.journal?.append(k, frame);
  }

  private timed(k: number, frame: Frame): void {
    const p = this.profiler;
    p.mark(TickPhase.Read);
    // Not marked: its cost is calibrated and counted as overhead, and a mark would cost more.
    p.reads.countWatched();
    // The engine marks its phases.
    this.dispatch(this.sim.engine.stepProfiled(frame, k, p));
    p.mark(TickPhase.Dispatch);
    if (this.journal !== undefined) {
      this.journal.append(k, frame);
      p.mark(TickPhase.Journal);
    }
    p.endTick();
  }

  /** The tick's records and actions: counted, actions simulated, all formatted as the log's lines. */
  private dispatch(r: StepResult): void {
    const c = this.counts;
    for (let i = 0; i < r.records.length; i++) {
      const rec = r.records[i] as EventRecord;
      if (rec.type === 'edge') c.edges++;
      else c.sensorEvents++;
      c.logBytes += formatRecord(rec).length;
      this.out?.push(rec);
    }
    for (let i = 0; i < r.actions.length; i++) {
      const rec = simulateAction(r.actions[i] as StepResult['actions'][number]);
      c.actions++;
      this.profiler.recordAction(String(rec['action']), undefined, rec['status'] === 'ok');
      c.logBytes += formatRecord(rec).length;
      this.out?.push(rec);
    }
  }
}
