import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/durations.js';
import type { EvalMode } from '../config/model.js';
import { formatProfileText } from '../profiler/format-profile-text.js';
import { buildProfileReport } from '../profiler/profile-report.js';
import { profileSimulation, type SimProfile } from '../profiler/profiled-simulation.js';
import { withMode } from '../runtime/with-mode.js';
import type { CliIo } from './cli-io.js';
import { EXIT, UsageError } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';

export const PROFILE_USAGE = 'usage: spatia profile CONFIG [--duration D] [--json] [--seed N] [--mode poll|event|auto] [--state-dir DIR] [--live]';

/** Simulated time profiled when `--duration` is not given: enough ticks for the sampled figures. */
export const DEFAULT_PROFILE_DURATION_US = 600_000_000;
/** Real time profiled with `--live` when `--duration` is not given. */
export const DEFAULT_LIVE_DURATION_US = 30_000_000;

interface ProfileArgs {
  config: string;
  durationUs: number;
  json: boolean;
  seed: number;
  mode: EvalMode | undefined;
  stateDir: string | undefined;
  live: boolean;
  durationGiven: boolean;
}

function parseProfileArgs(args: readonly string[]): ProfileArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      json: { type: 'boolean' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      'state-dir': { type: 'string' },
      live: { type: 'boolean' },
    },
  });
  const config = positionals[0];
  if (config === undefined || positionals.length > 1) throw new UsageError('expected exactly one CONFIG');
  let durationUs = DEFAULT_PROFILE_DURATION_US;
  if (values.duration !== undefined) {
    const d = parseDuration(values.duration);
    if ('error' in d) throw new UsageError(`--duration: ${d.error}`);
    if (!(d.us > 0)) throw new UsageError('--duration must be longer than 0');
    durationUs = d.us;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
  const mode = values.mode;
  if (mode !== undefined && mode !== 'poll' && mode !== 'event' && mode !== 'auto') throw new UsageError('--mode must be poll, event or auto');
  return { config, durationUs, json: values.json === true, seed, mode, stateDir: values['state-dir'], live: values.live === true, durationGiven: values.duration !== undefined };
}

/**
 * `spatia profile`: runs the deployment on the simulated clock at full speed under the profiler
 * and prints the SPEC §8 report (text, or one JSON object with `--json`) to stdout. The run
 * journals its input, into `--state-dir DIR`/journal or a temporary directory removed afterwards,
 * to measure the journal's bytes per second.
 */
export async function profileCommand(args: readonly string[], io: CliIo): Promise<number> {
  let a: ProfileArgs;
  try {
    a = parseProfileArgs(args);
  } catch (err) {
    io.err(`spatia profile: ${err instanceof Error ? err.message : String(err)}`);
    io.err(PROFILE_USAGE);
    return EXIT.usage;
  }
  const loaded = loadOrReport(a.config, io.err);
  if (loaded === undefined) return EXIT.config;
  const model = a.mode === undefined ? loaded.model : withMode(loaded.model, a.mode);
  if (a.live) {
    let report;
    try {
      const { profileLive } = await import('./profile-live.js');
      report = await profileLive(model, { configPath: a.config, durationUs: a.durationGiven ? a.durationUs : DEFAULT_LIVE_DURATION_US, seed: a.seed, mode: a.mode ?? 'configured', stateDir: a.stateDir });
    } catch (err) {
      io.err(`spatia profile --live: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT.failure;
    }
    if (a.json) io.out(JSON.stringify(report, null, 2));
    else io.out(formatProfileText(report).trimEnd());
    return EXIT.ok;
  }

  let journalDir: string;
  let scratch: string | undefined;
  if (a.stateDir !== undefined) {
    journalDir = join(a.stateDir, 'journal');
    if (existsSync(journalDir) && readdirSync(journalDir).length > 0) {
      io.err(`spatia profile: ${journalDir} already holds a journal; give an empty or new --state-dir`);
      return EXIT.failure;
    }
  } else {
    scratch = mkdtempSync(join(tmpdir(), 'spatia-profile-'));
    journalDir = join(scratch, 'journal');
  }
  let run: SimProfile;
  try {
    run = await profileSimulation(model, { durationUs: a.durationUs, seed: a.seed, baseDir: dirname(resolve(a.config)), journalDir });
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
  const notes = simNotes(run, model.runtime.stateDir !== undefined);
  for (const id of run.sim.sampler.silent) notes.push(`sensor ${id} has no sim signal: it stays unknown in simulation`);
  const report = buildProfileReport({
    config: a.config,
    source: 'simulation',
    seed: a.seed,
    mode: a.mode ?? 'configured',
    model,
    engine: run.sim.engine,
    profiler: run.profiler,
    costs: run.costs,
    perTickWorkUs: run.perTickWorkUs,
    periodUs: run.sim.periodUs,
    wallUs: run.wallUs,
    counts: run.counts,
    journal: run.journal === undefined ? null : { bytes: run.journal.bytes, records: run.journal.records, dir: a.stateDir === undefined ? null : journalDir },
    notes,
  });
  if (a.json) io.out(JSON.stringify(report, null, 2));
  else io.out(formatProfileText(report).trimEnd());
  return EXIT.ok;
}

/** What a reader of a simulated profile should know to read its figures right. */
function simNotes(run: SimProfile, journaledLive: boolean): string[] {
  const p = run.profiler;
  const notes: string[] = [];
  if (p.tickStride > 1) {
    notes.push(
      `to keep the profiler's cost under 1% of tick time, ticks are timed ${p.burst} in a row every ${p.tickStride} (a prime that follows the measured tick time; ` +
        'the first of each burst only warms up), each standing for the ticks it sampled: percentiles are estimates, and a longer --duration gives more samples',
    );
  }
  notes.push(`nodes are timed one by one on 1 timed tick in ${p.nodeStride}; those ticks are left out of tick duration and phases`);
  if (run.warmupTicks > 0) notes.push(`the first ${run.warmupTicks} ticks ran once before, timed and untimed, and were rewound (snapshot and restore), so that the figures show compiled code (the steady state)`);
  notes.push('in simulation, sensor reads are mock signals, timed together as the "read" phase; per-sensor read latency and action latency are measured live');
  if (!journaledLive) notes.push('the configuration sets no state_dir, so `spatia run` would not journal: the journal figure is what it would write with one');
  notes.push(...(run.journal?.problems ?? []));
  return notes;
}
