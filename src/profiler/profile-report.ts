import type { DeploymentModel } from '../config/model.js';
import type { ActionKindSummary } from './action-stats.js';
import { engineBuffers } from './engine-memory.js';
import { type DurationSummary, round3 } from './histograms.js';
import type { NodeCost, NodeInfo } from './node-costs.js';
import { countedOverhead, type Overhead } from './overhead.js';
import { PHASE_COUNT, PHASE_NAMES } from './tick-phase.js';
import type { TickProfiler } from './tick-profiler.js';
import type { UnitCosts } from './unit-costs.js';

/**
 * The profiler's report (SPEC §8): what `spatia profile --json` prints, and what the text form
 * shows. Names carry units (`Us` microseconds, `Bytes`, `Pct` percent, `Hz`); null means "not
 * measured in this kind of run" (lateness in simulation, read latency of mock sensors).
 */
export interface ProfileReport {
  readonly format: 'spatia-profile/1';
  readonly config: string;
  readonly source: 'simulation' | 'live';
  readonly seed: number | null;
  /** The evaluation mode forced with --mode, or "configured". */
  readonly mode: string;
  readonly ticks: TickFigures;
  /**
   * Live: every tick's duration as the tick loop measured it. Simulation: the busy time of the
   * timed ticks (the sum of their phases), each standing for the ticks it sampled.
   */
  readonly tickDuration: DurationSummary | null;
  /** Live only: how late ticks started, and how many ran past their period. */
  readonly lateness: { readonly p99Us: number; readonly maxUs: number; readonly overruns: number } | null;
  /**
   * Each phase, in tick order: its median and p99 per tick (robust: on a busy machine a few
   * sampled ticks interrupted by the scheduler weigh heavily on means), its mean per tick and the
   * mean's share of the tick (the shares add up to 100).
   */
  readonly phases: ReadonlyArray<{ readonly phase: string; readonly p50Us: number; readonly p99Us: number; readonly meanUs: number; readonly sharePct: number }>;
  readonly sensors: readonly SensorFigures[];
  /** The 10 costliest of each, from the ticks whose nodes were timed one by one. */
  readonly costliest: { readonly patterns: readonly NodeCost[]; readonly conditions: readonly NodeCost[]; readonly ticksSampled: number };
  /** By kind; `latencyMeasured` false when actions take no time (simulated). */
  readonly actions: { readonly latencyMeasured: boolean; readonly kinds: readonly ActionKindSummary[] };
  readonly memory: MemoryFigures;
  /** Null when the run did not journal. */
  readonly journal: JournalFigures | null;
  /** The event log the run wrote (or would have): its volume. */
  readonly eventLog: { readonly bytes: number; readonly bytesPerSecond: number };
  readonly overhead: Overhead;
  /** What a reader should know to read the figures right (sampling, what is live only). */
  readonly notes: readonly string[];
}

export interface TickFigures {
  readonly run: number;
  readonly periodUs: number;
  readonly targetHz: number;
  /** Ticks per second of wall time (simulation at full speed: far above the target). */
  readonly achievedHz: number;
  readonly wallS: number;
  /** Run time in ticks (simulated time in simulation). */
  readonly runS: number;
  /** Ticks timed (in bursts of `burstTicks`, the first of each not recorded), and the stride between bursts at the end of the run. */
  readonly timed: number;
  readonly tickStride: number;
  readonly burstTicks: number;
  /** Timed ticks on which every node was timed, and their stride among the timed ticks. */
  readonly nodeTimed: number;
  readonly nodeStride: number;
  readonly evaluations: number;
  readonly edges: number;
  readonly actions: number;
  readonly sensorEvents: number;
}

export interface SensorFigures {
  readonly id: string;
  readonly kind: string;
  /** Reads timed (live); null in simulation. */
  readonly reads: number | null;
  readonly p50Us: number | null;
  readonly p99Us: number | null;
  readonly timeouts: number;
  readonly errors: number;
}

export interface MemoryFigures {
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  readonly rssBytes: number;
  readonly maxRssBytes: number;
  /** Node's ArrayBuffer and Buffer memory (process.memoryUsage().arrayBuffers). */
  readonly arrayBuffersBytes: number;
  /** Typed arrays held by the engine's state, and its windowed series buffers among them. */
  readonly engineBufferBytes: number;
  readonly seriesBuffers: number;
  readonly seriesBufferBytes: number;
}

export interface JournalFigures {
  /** Bytes of records appended, per second of run time (simulated time in simulation). */
  readonly bytesPerSecond: number;
  readonly bytes: number;
  readonly records: number;
  /** Where it was kept (--state-dir), null when written to a temporary directory and removed. */
  readonly dir: string | null;
}

/** Everything a report is built from; the run (simulated or live) fills it in. */
export interface ReportInput {
  readonly config: string;
  readonly source: ProfileReport['source'];
  readonly seed: number | null;
  readonly mode: string;
  readonly model: DeploymentModel;
  /** The engine: its nodes are ranked, and its state is walked for its buffers. */
  readonly engine: { readonly nodes: readonly NodeInfo[] };
  readonly profiler: TickProfiler;
  readonly costs: UnitCosts;
  /** Work the profiler adds to every tick besides its marks, µs (simulation: counting read failures). */
  readonly perTickWorkUs: number;
  readonly periodUs: number;
  readonly wallUs: number;
  readonly counts: { readonly evaluations: number; readonly edges: number; readonly actions: number; readonly sensorEvents: number; readonly logBytes: number };
  readonly journal: { readonly bytes: number; readonly records: number; readonly dir: string | null } | null;
  readonly notes: readonly string[];
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Builds the report at the end of a run (memory is read now). */
export function buildProfileReport(input: ReportInput): ProfileReport {
  const p = input.profiler;
  const runS = (p.ticks * input.periodUs) / 1e6;
  const wallS = input.wallUs / 1e6;
  const meanTick = p.meanTickUs;
  const phases = PHASE_NAMES.slice(0, PHASE_COUNT).map((phase, i) => {
    const meanUs = p.weightSum > 0 ? (p.phaseSumUs[i] ?? 0) / p.weightSum : 0;
    const h = p.phaseHistograms[i];
    const d = h === undefined ? null : h.summary();
    return { phase, p50Us: d?.p50Us ?? 0, p99Us: d?.p99Us ?? 0, meanUs: round3(meanUs), sharePct: meanTick > 0 ? round2((100 * meanUs) / meanTick) : 0 };
  });
  const sensors = p.reads.summaries().map((r, i) => {
    const s = input.model.sensors[i];
    return {
      id: s?.id ?? String(i),
      kind: s?.kind ?? 'unknown',
      reads: r.reads,
      p50Us: r.latency?.p50Us ?? null,
      p99Us: r.latency?.p99Us ?? null,
      timeouts: r.timeouts,
      errors: r.errors,
    };
  });
  const lateness = p.lateness.summary();
  // The exact mean (the phases' sums), not the histogram's bucket-rounded one.
  const tickDuration = p.tickDuration.summary();
  const mem = process.memoryUsage();
  const buffers = engineBuffers(input.engine);
  const actions = p.actions.summaries();
  return {
    format: 'spatia-profile/1',
    config: input.config,
    source: input.source,
    seed: input.seed,
    mode: input.mode,
    ticks: {
      run: p.ticks,
      periodUs: input.periodUs,
      targetHz: round2(1e6 / input.periodUs),
      achievedHz: wallS > 0 ? Math.round(p.ticks / wallS) : 0,
      wallS: Math.round(wallS * 1000) / 1000,
      runS: Math.round(runS * 1e6) / 1e6,
      timed: p.timedTicks,
      tickStride: p.tickStride,
      burstTicks: p.burst,
      nodeTimed: p.nodeTicks,
      nodeStride: p.nodeStride,
      evaluations: input.counts.evaluations,
      edges: input.counts.edges,
      actions: input.counts.actions,
      sensorEvents: input.counts.sensorEvents,
    },
    tickDuration: p.loopDuration.summary() ?? (tickDuration === null ? null : { ...tickDuration, meanUs: round3(meanTick) }),
    lateness: lateness === null ? null : { p99Us: lateness.p99Us, maxUs: lateness.maxUs, overruns: p.overruns },
    phases,
    sensors,
    costliest: {
      patterns: p.nodes.costliest(input.engine.nodes, 'pattern'),
      conditions: p.nodes.costliest(input.engine.nodes, 'condition'),
      ticksSampled: p.nodes.ticks,
    },
    actions: { latencyMeasured: actions.some((a) => a.latency !== null), kinds: actions },
    memory: {
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      rssBytes: mem.rss,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      arrayBuffersBytes: mem.arrayBuffers,
      engineBufferBytes: buffers.bytes,
      seriesBuffers: buffers.seriesBuffers,
      seriesBufferBytes: buffers.seriesBufferBytes,
    },
    journal:
      input.journal === null
        ? null
        : { bytesPerSecond: runS > 0 ? round2(input.journal.bytes / runS) : 0, bytes: input.journal.bytes, records: input.journal.records, dir: input.journal.dir },
    eventLog: { bytes: input.counts.logBytes, bytesPerSecond: runS > 0 ? round2(input.counts.logBytes / runS) : 0 },
    overhead: countedOverhead(p, input.costs, input.periodUs, input.perTickWorkUs),
    notes: input.notes,
  };
}
