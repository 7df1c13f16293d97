import { createWriteStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/durations.js';
import type { EvalMode } from '../config/model.js';
import { formatRecord, type EventRecord } from '../core/event-record.js';
import { tickTimeUs, ticksBefore } from '../conditions/temporal-op.js';
import { hashConfig } from '../persistence/config-hash.js';
import { type LogPosition, LogSkipper, prepareLogForResume } from '../runtime/sim-log-resume.js';
import { SimPersistence } from '../runtime/sim-persistence.js';
import { Simulation } from '../runtime/simulation.js';
import { withMode } from '../runtime/with-mode.js';
import { MonotonicClock } from '../platform/monotonic-clock.js';
import type { CliIo } from './cli-io.js';
import { EXIT, UsageError } from './exit-codes.js';
import { EXPLAIN_OPTIONS, type ExplainArgs, explainArgs, setUpExplain } from './explain-option.js';
import { loadOrReport } from './load-or-report.js';

export const SIM_USAGE =
  'usage: spatia sim CONFIG [--duration D] [--seed N] [--speed max|X] [--out FILE [--state-dir DIR]] [--mode poll|event|auto] [--explain ID [--explain-window N]]';

/** Default simulated duration when `--duration` is not given. */
export const DEFAULT_SIM_DURATION_US = 60_000_000;

/** Ticks run between two writes of the log (and two pacing checks at `--speed max`). */
const BATCH_TICKS = 1000;

/** With --state-dir at a paced --speed: the journal and the log are committed this often (wall). */
const PACED_COMMIT_US = 100_000;

interface SimArgs extends ExplainArgs {
  config: string;
  durationUs: number;
  seed: number;
  speed: number | 'max';
  out: string | undefined;
  mode: EvalMode | undefined;
  stateDir: string | undefined;
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
      'state-dir': { type: 'string' },
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
  const stateDir = values['state-dir'];
  if (stateDir !== undefined && values.out === undefined) {
    throw new UsageError('--state-dir needs --out FILE: the log file is how a resumed run knows what it already printed');
  }
  return { config, durationUs, seed, speed, out: values.out, mode, stateDir, ...explainArgs(values) };
}

/**
 * `spatia sim`: runs the deployment on the simulated clock and prints the event log (JSON Lines)
 * to stdout or `--out`, and a summary to stderr. Same config and seed, byte-identical log.
 *
 * With `--state-dir DIR` the run journals and checkpoints into DIR, and a run started on a DIR
 * that holds state resumes it: the log in `--out` is continued, never restarted. The log only
 * ever holds ticks already durable in the journal, and a checkpoint is written only once the log
 * holds its tick; so after a kill at any point, the resumed run regenerates every tick after the
 * log's last complete line and appends exactly the records the log lacks (see LogSkipper): the
 * final file equals an uninterrupted run's log byte for byte.
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

  const records: EventRecord[] = [];
  const periodUs = sim.periodUs;
  const totalTicks = ticksBefore(a.durationUs, periodUs);
  let persisted: Persisted | undefined;
  if (a.stateDir !== undefined && a.out !== undefined) {
    const p = await openPersisted(sim, a.stateDir, a.out, a.seed, totalTicks, records, io);
    if (p === undefined) return EXIT.failure;
    persisted = p;
  }
  const sink: Writable | undefined = persisted !== undefined ? undefined : a.out === undefined ? process.stdout : createWriteStream(a.out);
  const writeLog = async (): Promise<void> => {
    let chunk = '';
    for (const r of records) if (persisted?.skipper.keep(r) !== false) chunk += formatRecord(r);
    records.length = 0;
    if (chunk === '') return;
    if (persisted !== undefined) {
      // appendFile writes it all (a single write may be short).
      await persisted.log.appendFile(chunk);
      await persisted.log.datasync();
    } else if (sink !== undefined && !sink.write(chunk)) await new Promise((res) => sink.once('drain', res));
  };
  // The journal first, then the log, then the checkpoint (see SimPersistence).
  const commit = async (): Promise<void> => {
    await persisted?.state.commitJournal();
    await writeLog();
    persisted?.state.checkpoint();
  };
  if (sim.tickIndex > totalTicks) io.err(`spatia sim: the state in ${a.stateDir ?? ''} is already at tick ${sim.tickIndex - 1}, past --duration; nothing to run`);
  const clock = new MonotonicClock();
  const started = process.hrtime.bigint();
  const firstTick = sim.tickIndex;
  const commitEvery = a.speed === 'max' ? BATCH_TICKS : Math.max(1, Math.round((PACED_COMMIT_US * a.speed) / periodUs));
  while (sim.tickIndex < totalTicks) {
    const end = Math.min(totalTicks, sim.tickIndex + (a.speed === 'max' ? BATCH_TICKS : 1));
    if (a.speed !== 'max') await clock.sleepUntil((tickTimeUs(sim.tickIndex, periodUs) - tickTimeUs(firstTick, periodUs)) / a.speed);
    while (sim.tickIndex < end) {
      const k = sim.tickIndex;
      const before = records.length;
      sim.tick(records);
      persisted?.state.afterTick();
      explainer?.observe(sim.engine, k, tickTimeUs(k, periodUs), records.slice(before));
    }
    if (persisted === undefined || sim.tickIndex >= totalTicks || (sim.tickIndex - firstTick) % commitEvery === 0) await commit();
  }
  await commit();
  explainer?.finish();
  if (persisted !== undefined) {
    await persisted.state.finish();
    await persisted.log.close();
  } else if (sink !== undefined && sink !== process.stdout) await new Promise<void>((res, rej) => sink.end((e?: Error | null) => (e ? rej(e) : res())));
  const wallS = Number(process.hrtime.bigint() - started) / 1e9;
  const c = sim.counts;
  io.err(
    `spatia sim: ${c.ticks} ticks (${formatSeconds(c.ticks * periodUs / 1e6)} simulated) in ${wallS.toFixed(2)} s; ` +
      `${c.edges} edges, ${c.actions} actions, ${c.sensorEvents} sensor events; ${sim.engine.evaluations} evaluations` +
      (a.out === undefined ? '' : `; log in ${a.out}`),
  );
  return EXIT.ok;
}

interface Persisted {
  readonly state: SimPersistence;
  readonly skipper: LogSkipper;
  readonly log: FileHandle;
}

/**
 * Opens the state directory (resuming what it holds: replayed records land in `records`) and the
 * log: continued after its last complete line on a resume, started empty otherwise. Undefined,
 * with the reason printed, when the directory holds another configuration's state.
 */
async function openPersisted(sim: Simulation, dir: string, out: string, seed: number, totalTicks: number, records: EventRecord[], io: CliIo): Promise<Persisted | undefined> {
  const everyTicks = Math.max(1, Math.round(sim.model.runtime.checkpointEveryUs / sim.periodUs));
  const report = (line: string): void => io.err(`spatia sim: ${line}`);
  const opened = await SimPersistence.open(
    sim,
    { dir, configHash: hashConfig(sim.model), seed, everyTicks, totalTicks, onHealth: (h) => report(h.message), report },
    records,
  );
  if ('error' in opened) {
    report(opened.error);
    return undefined;
  }
  const { recovery } = opened;
  let pos: LogPosition = { tick: -1, count: 0, cutBytes: 0 };
  try {
    if (recovery.resumed) pos = prepareLogForResume(out);
  } catch (err) {
    report((err as Error).message);
    return undefined;
  }
  if (pos.cutBytes > 0) report(`cut a torn last line (${pos.cutBytes} bytes) off ${out}`);
  if (recovery.resumed) {
    const from = recovery.checkpointTick < 0 ? 'no checkpoint (from tick 0)' : `checkpoint at tick ${recovery.checkpointTick}`;
    report(`resuming ${dir}: ${from}, ${recovery.replayedTicks} journal ticks replayed; the log continues after tick ${pos.tick}`);
  }
  const log = await open(out, recovery.resumed ? 'a' : 'w');
  return { state: opened.persistence, skipper: new LogSkipper(pos), log };
}

function formatSeconds(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(2)} h`;
  if (s >= 60) return `${(s / 60).toFixed(2)} min`;
  return `${s.toFixed(3)} s`;
}
