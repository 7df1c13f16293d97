import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/durations.js';
import type { EvalMode } from '../config/model.js';
import { formatRecord, type EventRecord } from '../core/event-record.js';
import { tickTimeUs, ticksBefore } from '../conditions/temporal-op.js';
import { Simulation } from '../runtime/simulation.js';
import { withMode } from '../runtime/with-mode.js';
import { MonotonicClock } from '../platform/monotonic-clock.js';
import type { CliIo } from './cli-io.js';
import { EXIT, UsageError } from './exit-codes.js';
import { EXPLAIN_OPTIONS, type ExplainArgs, explainArgs, setUpExplain } from './explain-option.js';
import { loadOrReport } from './load-or-report.js';

export const SIM_USAGE =
  'usage: spatia sim CONFIG [--duration D] [--seed N] [--speed max|X] [--out FILE] [--mode poll|event|auto] [--explain ID [--explain-window N]]';

/** Default simulated duration when `--duration` is not given. */
export const DEFAULT_SIM_DURATION_US = 60_000_000;

/** Ticks run between two writes of the log (and two pacing checks at `--speed max`). */
const BATCH_TICKS = 1000;

interface SimArgs extends ExplainArgs {
  config: string;
  durationUs: number;
  seed: number;
  speed: number | 'max';
  out: string | undefined;
  mode: EvalMode | undefined;
}

function parseSimArgs(args: readonly string[]): SimArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      duration: { type: 'string' },
      seed: { type: 'string' },
      speed: { type: 'string' },
      out: { type: 'string' },
      mode: { type: 'string' },
      ...EXPLAIN_OPTIONS,
    },
  });
  const config = positionals[0];
  if (config === undefined || positionals.length > 1) throw new UsageError('expected exactly one CONFIG');
  let durationUs = DEFAULT_SIM_DURATION_US;
  if (values.duration !== undefined) {
    const d = parseDuration(values.duration);
    if ('error' in d) throw new UsageError(`--duration: ${d.error}`);
    durationUs = d.us;
  }
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
  let speed: number | 'max' = 'max';
  if (values.speed !== undefined && values.speed !== 'max') {
    speed = Number(values.speed);
    if (!(speed > 0)) throw new UsageError('--speed must be "max" or a positive number (1 is real time)');
  }
  const mode = values.mode;
  if (mode !== undefined && mode !== 'poll' && mode !== 'event' && mode !== 'auto') {
    throw new UsageError('--mode must be poll, event or auto');
  }
  return { config, durationUs, seed, speed, out: values.out, mode, ...explainArgs(values) };
}

/**
 * `spatia sim`: runs the deployment on the simulated clock and prints the event log (JSON Lines)
 * to stdout or `--out`, and a summary to stderr. Same config and seed, byte-identical log.
 */
export async function simCommand(args: readonly string[], io: CliIo): Promise<number> {
  let a: SimArgs;
  try {
    a = parseSimArgs(args);
  } catch (err) {
    io.err(`spatia sim: ${err instanceof Error ? err.message : String(err)}`);
    io.err(SIM_USAGE);
    return EXIT.usage;
  }
  const loaded = loadOrReport(a.config, io.err);
  if (loaded === undefined) return EXIT.config;
  let model = a.mode === undefined ? loaded.model : withMode(loaded.model, a.mode);
  const explained = setUpExplain(model, a, io);
  if ('error' in explained) {
    io.err(`spatia sim: ${explained.error}`);
    return EXIT.usage;
  }
  model = explained.model;
  const explainer = explained.explainer;
  const sim = new Simulation(model, { seed: a.seed, baseDir: dirname(resolve(a.config)) });
  for (const id of sim.sampler.silent) io.err(`spatia sim: sensor ${id} has no sim signal; it stays unknown in simulation`);

  const sink: Writable = a.out === undefined ? process.stdout : createWriteStream(a.out);
  const clock = new MonotonicClock();
  const started = process.hrtime.bigint();
  const records: EventRecord[] = [];
  const periodUs = sim.periodUs;
  const totalTicks = ticksBefore(a.durationUs, periodUs);
  while (sim.tickIndex < totalTicks) {
    const end = Math.min(totalTicks, sim.tickIndex + (a.speed === 'max' ? BATCH_TICKS : 1));
    if (a.speed !== 'max') await clock.sleepUntil(tickTimeUs(sim.tickIndex, periodUs) / a.speed);
    while (sim.tickIndex < end) {
      const k = sim.tickIndex;
      const before = records.length;
      sim.tick(records);
      explainer?.observe(sim.engine, k, tickTimeUs(k, periodUs), records.slice(before));
    }
    if (records.length > 0) {
      let chunk = '';
      for (const r of records) chunk += formatRecord(r);
      records.length = 0;
      if (!sink.write(chunk)) await new Promise((res) => sink.once('drain', res));
    }
  }
  explainer?.finish();
  if (sink !== process.stdout) await new Promise<void>((res, rej) => sink.end((e?: Error | null) => (e ? rej(e) : res())));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const c = sim.counts;
  io.err(
    `spatia sim: ${c.ticks} ticks (${formatSeconds(c.ticks * periodUs / 1e6)} simulated) in ${wallS.toFixed(2)} s; ` +
      `${c.edges} edges, ${c.actions} actions, ${c.sensorEvents} sensor events; ${sim.engine.evaluations} evaluations` +
      (a.out === undefined ? '' : `; log in ${a.out}`),
  );
  return EXIT.ok;
}

function formatSeconds(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(2)} h`;
  if (s >= 60) return `${(s / 60).toFixed(2)} min`;
  return `${s.toFixed(3)} s`;
}
