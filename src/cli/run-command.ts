import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/durations.js';
import { ticksBefore } from '../conditions/temporal-op.js';
import { formatRecord } from '../core/event-record.js';
import { MonotonicClock } from '../platform/monotonic-clock.js';
import { LiveRun, type LiveSummary } from '../runtime/live-run.js';
import { createLiveSources, headerChipsOf } from '../sensors/live/create-source.js';
import { createLiveActions, type LiveActions, type LiveEvent } from '../runtime/live-actions.js';
import { stateDirOf } from '../runtime/state-dir.js';
import { openPersistence } from '../runtime/live-recovery-report.js';
import type { LivePersistence } from '../runtime/live-persistence.js';
import { type LogPosition, prepareLogForResume } from '../runtime/sim-log-resume.js';
import type { CliIo } from './cli-io.js';
import { EXIT, UsageError } from './exit-codes.js';
import { EXPLAIN_OPTIONS, type ExplainArgs, explainArgs, setUpExplain } from './explain-option.js';
import { loadOrReport } from './load-or-report.js';

export const RUN_USAGE = 'usage: spatia run CONFIG [--out FILE] [--duration D] [--seed N] [--status-every D] [--explain ID [--explain-window N]]';

interface RunArgs extends ExplainArgs {
  config: string;
  out: string | undefined;
  durationUs: number | undefined;
  seed: number;
  statusEveryUs: number;
}

function durationArg(name: string, text: string): number {
  const d = parseDuration(text);
  if ('error' in d) throw new UsageError(`--${name}: ${d.error}`);
  return d.us;
}

function parseRunArgs(args: readonly string[]): RunArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      duration: { type: 'string' },
      seed: { type: 'string' },
      'status-every': { type: 'string' },
      ...EXPLAIN_OPTIONS,
    },
  });
  const config = positionals[0];
  if (config === undefined || positionals.length > 1) throw new UsageError('expected exactly one CONFIG');
  const seed = values.seed === undefined ? 1 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new UsageError('--seed must be an integer');
  return {
    config,
    ...explainArgs(values),
    out: values.out,
    durationUs: values.duration === undefined ? undefined : durationArg('duration', values.duration),
    seed,
    statusEveryUs: values['status-every'] === undefined ? 60_000_000 : durationArg('status-every', values['status-every']),
  };
}

/**
 * `spatia run`: the deployment on real sensors and the real monotonic clock, until SIGTERM or
 * SIGINT (or `--duration`). The event log goes to stdout or `--out`; a status line to stderr
 * every `--status-every`, and a summary when it stops.
 */
export async function runCommand(args: readonly string[], io: CliIo): Promise<number> {
  let a: RunArgs;
  try {
    a = parseRunArgs(args);
  } catch (err) {
    io.err(`spatia run: ${err instanceof Error ? err.message : String(err)}`);
    io.err(RUN_USAGE);
    return EXIT.usage;
  }
  const loaded = loadOrReport(a.config, io.err);
  if (loaded === undefined) return EXIT.config;
  let model = loaded.model;
  const explained = setUpExplain(model, a, io);
  if ('error' in explained) {
    io.err(`spatia run: ${explained.error}`);
    return EXIT.usage;
  }
  model = explained.model;
  const explainer = explained.explainer;
  // A resumed run continues the log in --out: a line torn by a crash is cut first.
  let logPosition: LogPosition | undefined;
  if (a.out !== undefined) {
    try {
      logPosition = prepareLogForResume(a.out);
    } catch (err) {
      io.err(`spatia run: --out ${a.out}: ${err instanceof Error ? err.message : String(err)}`);
      return EXIT.failure;
    }
  }
  const sink: Writable = a.out === undefined ? process.stdout : createWriteStream(a.out, { flags: 'a' });
  // A log that cannot be written (a closed pipe, a full disk) stops the run: carrying on would
  // lose the events it exists to record.
  let sinkError: Error | undefined;
  const write = (chunk: string): void => {
    if (sinkError === undefined) sink.write(chunk);
  };
  // The log of a tick waits for the journal commit of its input (see LivePersistence).
  let persistence: LivePersistence | undefined;
  const writeTick = (chunk: string, tick: number): void => (persistence === undefined ? write(chunk) : persistence.hold(tick, chunk));
  const clock = new MonotonicClock();
  const headerChipLabels = await headerChipsOf(model, (line) => io.err(`spatia run: ${line}`));
  const sources = createLiveSources(model, { clock, headerChipLabels });
  // Output health reaches the log through the run, which exists once the actions are built.
  const early: LiveEvent[] = [];
  let onEvent = (e: LiveEvent): void => void early.push(e);
  let actions: LiveActions;
  try {
    actions = await createLiveActions(model, { headerChipLabels, stateDir: stateDirOf(model), onEvent: (e) => onEvent(e) });
  } catch (err) {
    io.err(`spatia run: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failure;
  }
  const run = new LiveRun(model, {
    runners: actions.runners,
    command: actions.command,
    clock,
    sourceFor: sources.sourceFor,
    write: writeTick,
    afterTick: (tick, frame) => persistence?.afterTick(tick, frame),
    ...(explainer === undefined ? {} : { onTick: (engine, tick, tUs, records) => explainer.observe(engine, tick, tUs, records) }),
    seed: a.seed,
    baseDir: dirname(resolve(a.config)),
  });

  onEvent = (e) => run.note(e);
  for (const e of early) run.note(e);

  // A bug in a library callback must not take the runtime down: report it and keep ticking.
  const onFault = (err: unknown): void => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.err(`spatia run: unexpected error (kept running): ${message}`);
    const tick = run.loop.ticks;
    write(formatRecord({ t: (tick * run.engine.periodUs) / 1e6, tick, type: 'runtime', status: 'error', code: 'SPATIA_RUNTIME', error: message.split('\n')[0] }));
  };
  const stop = (signal: string): void => {
    io.err(`spatia run: ${signal}: stopping`);
    run.stop();
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInt = (): void => stop('SIGINT');
  sink.on('error', (err: Error) => {
    if (sinkError !== undefined) return;
    sinkError = err;
    io.err(`spatia run: cannot write the event log (${err.message}): stopping`);
    run.stop();
  });
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  const status = setInterval(() => io.err(`spatia run: ${formatSummary(run.summary())}`), a.statusEveryUs / 1000);
  status.unref();

  io.err(`spatia run: ${model.file}: ${model.sensors.length} sensors, ${model.conditions.length} conditions at ${(1e6 / run.engine.periodUs).toFixed(2)} Hz`);
  try {
    await actions.start();
    const opened = await openPersistence(run, { dir: stateDirOf(model), logPosition, writeLog: write, err: (line) => io.err(`spatia run: ${line}`) });
    if ('error' in opened) {
      io.err(`spatia run: ${opened.error}`);
      return EXIT.failure;
    }
    persistence = opened.persistence;
    const maxTicks = a.durationUs === undefined ? Infinity : ticksBefore(a.durationUs, run.engine.periodUs);
    await run.run(maxTicks, opened.nextTick);
  } finally {
    clearInterval(status);
    explainer?.finish();
    await run.close({ keepOwedActions: persistence !== undefined });
    // The final checkpoint: what the run owes and where it stands, for the next start.
    await persistence?.finish(run.lastTick);
    await sources.close();
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('uncaughtException', onFault);
    process.off('unhandledRejection', onFault);
    if (sink !== process.stdout && sinkError === undefined) await new Promise<void>((res) => sink.end(res));
  }
  io.err(`spatia run: stopped: ${formatSummary(run.summary())}` + (persistence?.lastCheckpoint === undefined ? '' : `; last checkpoint at tick ${persistence.lastCheckpoint.tick}`));
  return sinkError === undefined ? EXIT.ok : EXIT.failure;
}

/** One status line: what a person checks at a glance in `journalctl -u spatia`. */
export function formatSummary(s: LiveSummary): string {
  return (
    `${s.ticks} ticks in ${s.elapsedS.toFixed(1)} s (${s.rateHz.toFixed(2)} Hz); ` +
    `lateness p50 ${s.lateness.p50Ms} ms, p99 ${s.lateness.p99Ms} ms, max ${s.lateness.maxMs} ms; ` +
    `tick p99 ${s.tickDuration.p99Ms} ms; ${s.overruns} overruns` +
    (s.skippedS > 0 ? `, ${s.skippedS.toFixed(3)} s skipped` : '') +
    `; ${s.edges} edges, ${s.actions} actions, ${s.sensorEvents} sensor events, ${s.pushValues} pushed values`
  );
}
