import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DeploymentModel } from '../config/model.js';
import { ticksBefore } from '../conditions/temporal-op.js';
import { createLogger } from '../platform/logger.js';
import { MonotonicClock } from '../platform/monotonic-clock.js';
import { calibrate } from '../profiler/overhead.js';
import { buildProfileReport, type ProfileReport } from '../profiler/profile-report.js';
import { TickProfiler } from '../profiler/tick-profiler.js';
import { LiveSession } from '../runtime/live-session.js';

export interface LiveProfileOptions {
  readonly configPath: string;
  readonly durationUs: number;
  readonly seed: number;
  readonly mode: string;
  /** Where the run's journal and checkpoints go; undefined: a temporary directory, removed. */
  readonly stateDir: string | undefined;
}

/**
 * `spatia profile --live`: the deployment on its real sensors and the real clock, as `spatia run`
 * runs it (journal included), for `durationUs` or until SIGINT/SIGTERM, under the profiler:
 * every tick's duration and lateness from the loop, sampled phases, every polled read's latency
 * and every action's. The event log is discarded; the state goes to a scratch directory unless
 * `--state-dir` names one, so a service's own state is never touched.
 */
export async function profileLive(model: DeploymentModel, opts: LiveProfileOptions): Promise<ProfileReport> {
  const scratch = opts.stateDir === undefined ? mkdtempSync(join(tmpdir(), 'spatia-profile-live-')) : undefined;
  const stateDir = opts.stateDir ?? (scratch as string);
  const runModel: DeploymentModel = { ...model, runtime: { ...model.runtime, stateDir } };
  const now = (): number => performance.now() * 1000;
  const costs = calibrate(now);
  let logBytes = 0;
  const log = createLogger({ level: 'warn' });
  const started = now();
  let session: LiveSession | undefined;
  const stop = (): void => session?.stop();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    session = await LiveSession.create({
      model: runModel,
      configPath: opts.configPath,
      clock: new MonotonicClock(),
      seed: opts.seed,
      log,
      write: (chunk) => void (logBytes += Buffer.byteLength(chunk)),
      logPosition: undefined,
      explainer: undefined,
      onFirstTick: () => undefined,
      profiler: (engine) => new TickProfiler({ now, periodUs: engine.periodUs, sensorCount: engine.sensors.length, nodeCount: engine.nodes.length, costs }),
    });
    const failed = await session.runUntilStopped(ticksBefore(opts.durationUs, runModel.runtime.tickUs));
    await session.close();
    if (failed !== undefined) throw new Error(failed.error);
    const run = session.run;
    const profiler = run.profiler as TickProfiler;
    const s = run.summary();
    const journal = session.journalStats();
    return buildProfileReport({
      config: opts.configPath,
      source: 'live',
      seed: opts.seed,
      mode: opts.mode,
      model: runModel,
      engine: run.engine,
      profiler,
      costs,
      perTickWorkUs: 0,
      periodUs: run.engine.periodUs,
      wallUs: now() - started,
      counts: { evaluations: run.engine.evaluations, edges: s.edges, actions: s.actions, sensorEvents: s.sensorEvents, logBytes },
      journal: journal === undefined ? null : { bytes: journal.bytesWritten, records: s.ticks, dir: opts.stateDir === undefined ? null : join(stateDir, 'journal') },
      notes: [
        'live: tick duration, lateness and overruns come from the tick loop, every tick; phases are sampled; read latency is each polled read from its start to its result',
        'the event log was counted, not kept; the journal and checkpoints went to ' + (opts.stateDir ?? 'a temporary directory (removed)'),
      ],
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
}
