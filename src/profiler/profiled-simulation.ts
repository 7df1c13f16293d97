import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { DeploymentModel } from '../config/model.js';
import { ticksBefore } from '../conditions/temporal-op.js';
import type { EventRecord } from '../core/event-record.js';
import { hashConfig } from '../persistence/config-hash.js';
import { JournalWriter } from '../persistence/journal/journal-writer.js';
import { Simulation } from '../runtime/simulation.js';
import { calibrate, calibrateCountFrame } from './overhead.js';
import { ProfiledTicks, type SimCounts } from './profiled-ticks.js';
import { TickProfiler } from './tick-profiler.js';
import { ZERO_COSTS, type UnitCosts } from './unit-costs.js';

/** How {@link profileSimulation} runs. */
export interface ProfiledSimOptions {
  readonly durationUs: number;
  readonly seed: number;
  /** Directory that relative paths in signals (csv) are resolved against. */
  readonly baseDir: string;
  /** Journal each tick's input into this directory (created); undefined: no journal. */
  readonly journalDir: string | undefined;
  /** The profiler's clock in µs. Default: performance.now(). */
  readonly now?: () => number;
  /** Unit costs to use instead of calibrating (tests). */
  readonly costs?: UnitCosts;
  /** Receives every record, in log order (tests: the log must not change under the profiler). */
  readonly records?: EventRecord[];
  /** Passed to the TickProfiler (tests). */
  readonly tickStride?: number;
  readonly nodeStride?: number;
  /** Most ticks of the warm-up (a throwaway copy, before the profiled run); default 5000, 0 for none. */
  readonly warmupTicks?: number;
}

/** A profiled simulated run: the profiler with its figures, and what the run itself produced. */
export interface SimProfile {
  readonly sim: Simulation;
  readonly profiler: TickProfiler;
  readonly costs: UnitCosts;
  /** What the profiler adds to every tick besides its marks (counting read failures), µs. */
  readonly perTickWorkUs: number;
  readonly warmupTicks: number;
  readonly wallUs: number;
  readonly counts: SimCounts & { readonly evaluations: number };
  readonly journal: { bytes: number; records: number; durableBytes: number; problems: string[] } | undefined;
}

/** Ticks between two yields to the event loop (and two journal commits). */
const BATCH_TICKS = 1000;
/** The warm-up stops after this much wall time even short of its ticks (large deployments). */
const WARMUP_MAX_US = 2_000_000;

const performanceNowUs = (): number => performance.now() * 1000;

/**
 * Runs `model` on the simulated clock as `spatia sim --speed max` does, under a TickProfiler (see
 * ProfiledTicks). The ticks and records are exactly a plain simulation's: the profiler only reads
 * the clock around them.
 *
 * First, a warm-up runs the first ticks through the same code, timed and untimed ticks alike,
 * and rewinds: the profiled run then measures compiled code. Otherwise the timed path, taken by
 * few ticks, would still run unoptimised in a short run and read several times slower than the
 * ticks it stands for.
 */
export async function profileSimulation(model: DeploymentModel, opts: ProfiledSimOptions): Promise<SimProfile> {
  const now = opts.now ?? performanceNowUs;
  const sim = new Simulation(model, { seed: opts.seed, baseDir: opts.baseDir });
  // Calibrate before the warm-up: its scratch profilers (other strides and costs) would make V8
  // drop the timed path's optimised code, which a short run would then never get back.
  const costs = opts.costs ?? calibrate(now);
  const perTickWorkUs = opts.costs === undefined ? calibrateCountFrame(now, sim.sampler.frame.status) : 0;
  const warmupTicks = await warmUp(sim, model, opts, now);
  const profiler = new TickProfiler({
    now,
    periodUs: sim.periodUs,
    sensorCount: model.sensors.length,
    nodeCount: sim.engine.nodes.length,
    costs,
    perTickWorkUs,
    ...(opts.tickStride === undefined ? {} : { tickStride: opts.tickStride }),
    ...(opts.nodeStride === undefined ? {} : { nodeStride: opts.nodeStride }),
    // The warm-up compiled the nodes: they may be timed at once.
    nodeWarmupTicks: 0,
  });
  const problems: string[] = [];
  const journal = opts.journalDir === undefined ? undefined : await openJournal(model, sim, opts.journalDir, (m) => problems.push(m));
  const ticks = new ProfiledTicks(sim, profiler, journal, opts.records);
  const evaluationsBefore = sim.engine.evaluations;
  const totalTicks = ticksBefore(opts.durationUs, sim.periodUs);
  const started = now();
  while (sim.tickIndex < totalTicks) {
    ticks.run(Math.min(totalTicks, sim.tickIndex + BATCH_TICKS));
    // Off the tick, as `spatia sim --state-dir` commits: without it, ticks at full speed would
    // outrun the group commit and the journal would drop input.
    if (journal !== undefined) await journal.flush();
    else await yieldToLoop();
  }
  const wallUs = now() - started;
  if (journal !== undefined) await journal.close();
  return {
    sim,
    profiler,
    costs,
    perTickWorkUs,
    warmupTicks,
    wallUs,
    counts: { ...ticks.counts, evaluations: sim.engine.evaluations - evaluationsBefore },
    journal: journal === undefined ? undefined : { bytes: journal.stats.bytesAppended, records: journal.stats.records, durableBytes: journal.stats.bytesDurable, problems },
  };
}

function openJournal(model: DeploymentModel, sim: Simulation, dir: string, problem: (message: string) => void): Promise<JournalWriter> {
  return JournalWriter.open({ dir, configHash: hashConfig(model), periodUs: sim.periodUs, sensors: model.sensors.map((s) => s.id), onHealth: (h) => problem(h.message) });
}

/**
 * Runs up to `warmupTicks` ticks (default 5000, at most WARMUP_MAX_US of wall time) of `sim`,
 * every other tick timed and every other timed tick node by node, journaling into a temporary
 * directory when the run journals; then restores `sim` to where it was (a snapshot of all its
 * state, as a checkpoint takes). Warming up this very instance, not a copy, matters: a copy's
 * compiled expressions are other closures, and V8 does not carry all of their optimisation over.
 * Returns the ticks run.
 */
async function warmUp(sim: Simulation, model: DeploymentModel, opts: ProfiledSimOptions, now: () => number): Promise<number> {
  const max = opts.warmupTicks ?? 5000;
  if (max <= 0) return 0;
  const initial = sim.snapshot();
  const profiler = new TickProfiler({
    now,
    periodUs: sim.periodUs,
    sensorCount: model.sensors.length,
    nodeCount: sim.engine.nodes.length,
    costs: ZERO_COSTS,
    tickStride: 2,
    nodeStride: 2,
    burstTicks: 1,
    nodeWarmupTicks: 0,
  });
  const dir = opts.journalDir === undefined ? undefined : mkdtempSync(join(tmpdir(), 'spatia-profile-warmup-'));
  try {
    const journal = dir === undefined ? undefined : await openJournal(model, sim, join(dir, 'journal'), () => undefined);
    const ticks = new ProfiledTicks(sim, profiler, journal, undefined);
    const started = now();
    while (sim.tickIndex < max && now() - started < WARMUP_MAX_US) {
      ticks.run(Math.min(max, sim.tickIndex + 100));
      if (journal !== undefined && sim.tickIndex % BATCH_TICKS === 0) await journal.flush();
    }
    await journal?.close();
    const ran = sim.tickIndex;
    sim.restore(initial);
    return ran;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
