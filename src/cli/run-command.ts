import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/durations.js';
import type { DeploymentModel } from '../config/model.js';
import { ticksBefore } from '../conditions/temporal-op.js';
import { type ListenAddress, parseListen } from '../metrics/listen-address.js';
import { type MetricsServer, startMetricsServer } from '../metrics/metrics-server.js';
import { createLogger } from '../platform/logger.js';
import { liveStatus } from '../runtime/live-status.js';
import { MonotonicClock } from '../platform/monotonic-clock.js';
import { SdNotify, watchdogIntervalUs } from '../platform/sd-notify.js';
import { WatchdogPinger } from '../platform/watchdog-pinger.js';
import type { LiveSummary } from '../runtime/live-run.js';
import { LiveSession } from '../runtime/live-session.js';
import { removePidFile, writePidFile } from '../runtime/pid-file.js';
import { type LogPosition, prepareLogForResume } from '../runtime/sim-log-resume.js';
import { stateDirOf } from '../runtime/state-dir.js';
import type { CliIo } from './cli-io.js';
import { EXIT, UsageError } from './exit-codes.js';
import { EXPLAIN_OPTIONS, type ExplainArgs, explainArgs, setUpExplain } from './explain-option.js';
import { loadOrReport } from './load-or-report.js';

export const RUN_USAGE = 'usage: spatia run CONFIG [--out FILE] [--duration D] [--seed N] [--status-every D] [--metrics [HOST:]PORT] [--explain ID [--explain-window N]]';

/** Longest a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 10_000;

interface RunArgs extends ExplainArgs {
  config: string;
  out: string | undefined;
  durationUs: number | undefined;
  seed: number;
  statusEveryUs: number;
  metrics: ListenAddress | undefined;
}

function durationArg(name: string, text: string): number {
  const d = parseDuration(text);
  if ('error' in d) throw new UsageError(`--${name}: ${d.error}`);
  return d.us;
}

function metricsArg(text: string): ListenAddress {
  try {
    return parseListen(text);
  } catch (err) {
    throw new UsageError(`--metrics: ${err instanceof Error ? err.message : String(err)}`);
  }
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
      metrics: { type: 'string' },
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
    metrics: values.metrics === undefined ? undefined : metricsArg(values.metrics),
  };
}

/**
 * `spatia run`: the deployment on real sensors and the real monotonic clock, until SIGTERM or
 * SIGINT (or `--duration`). The event log goes to stdout or `--out`; diagnostics (pino JSON
 * lines, `runtime.log_level`) to stderr, with a status line every `--status-every` and a summary
 * when it stops. Under systemd it reports READY/WATCHDOG/STATUS/STOPPING (sd_notify). SIGHUP
 * reloads the configuration file: a valid one is swapped in at a tick boundary keeping the state
 * of what did not change; an invalid one is rejected with its errors and the old one keeps
 * running. A second SIGTERM/SIGINT exits at once.
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
  const log = createLogger({ level: model.runtime.logLevel });
  // A resumed run continues the log in --out: a line torn by a crash is cut first.
  let logPosition: LogPosition | undefined;
  if (a.out !== undefined) {
    try {
      logPosition = prepareLogForResume(a.out);
    } catch (err) {
      log.error(`--out ${a.out}: ${err instanceof Error ? err.message : String(err)}`);
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

  const notifier = SdNotify.fromEnv(process.env, { warn: (message, code) => log.warn(message, { code }) });
  const clock = new MonotonicClock();
  let session: LiveSession | undefined;
  let ticksDone = 0;
  let pending: DeploymentModel | undefined;
  let stopping = false;
  let summary: LiveSummary | undefined;
  const status = (): string => (session === undefined ? 'starting' : statusLine(session.run.summary(), session.lastCheckpoint?.tick));
  const pinger = new WatchdogPinger({
    notifier,
    watchdogUs: watchdogIntervalUs(),
    progress: () => ticksDone + (session?.run.loop.ticks ?? 0),
    status,
    onStall: (n) => log.error(`tick loop stalled after ${n} ticks: watchdog pings withheld, systemd will restart the service`, { code: 'SPATIA_WATCHDOG_STALL' }),
    onResume: () => log.warn('tick loop progressing again: watchdog pings resumed'),
  });

  // A bug in a library callback must not take the runtime down: report it and keep ticking.
  const onFault = (err: unknown): void => {
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log.error(`unexpected error (kept running): ${message}`, { code: 'SPATIA_RUNTIME' });
    const tick = Math.max(0, session?.run.lastTick ?? 0);
    session?.writeNow({ t: (tick * (session?.run.engine.periodUs ?? 0)) / 1e6, tick, type: 'runtime', status: 'error', code: 'SPATIA_RUNTIME', error: message.split('\n')[0] });
  };
  const stop = (signal: string): void => {
    if (stopping) {
      log.error(`${signal} again: exiting now, without the final checkpoint`);
      process.exit(EXIT.failure);
    }
    stopping = true;
    log.info(`${signal}: stopping`);
    notifier.stopping();
    pinger.stop();
    session?.stop();
    // Bounded: a runner or a disk that hangs does not keep the service from stopping.
    setTimeout(() => {
      log.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS / 1000} s: exiting without waiting further`);
      process.exit(EXIT.failure);
    }, SHUTDOWN_LIMIT_MS).unref();
  };
  const reload = (): void => {
    if (stopping) return;
    notifier.reloading();
    log.info(`SIGHUP: reloading ${a.config}`);
    const next = loadOrReport(a.config, (line) => log.error(`reload rejected: ${line}`));
    if (next === undefined) {
      log.error(`reload rejected: ${a.config} is not valid; the running configuration stays`, { code: 'SPATIA_CONFIG_RELOAD' });
      notifier.ready(status());
      return;
    }
    if (stateDirOf(next.model) !== stateDirOf(model)) {
      log.error(`reload rejected: state_dir changed (${stateDirOf(model)} -> ${stateDirOf(next.model)}); restart the service to move its state`, { code: 'SPATIA_CONFIG_RELOAD' });
      notifier.ready(status());
      return;
    }
    pending = next.model;
    session?.stop();
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInt = (): void => stop('SIGINT');
  sink.on('error', (err: Error) => {
    if (sinkError !== undefined) return;
    sinkError = err;
    log.error(`cannot write the event log (${err.message}): stopping`);
    stopping = true;
    session?.stop();
  });
  process.on('uncaughtException', onFault);
  process.on('unhandledRejection', onFault);
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  process.on('SIGHUP', reload);
  const statusTimer = setInterval(() => {
    if (session !== undefined) log.info(formatSummary(session.run.summary()));
  }, a.statusEveryUs / 1000);
  // Not unref'd: it keeps the process alive while it runs, so a tick stuck in an await leaves a
  // live process whose withheld watchdog pings get it restarted, not a silent exit.
  const pidFile = writePidFile(stateDirOf(model), (line) => log.warn(line));
  const cleanUp = (): void => {
    clearInterval(statusTimer);
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    process.off('SIGHUP', reload);
    process.off('uncaughtException', onFault);
    process.off('unhandledRejection', onFault);
    if (pidFile !== undefined) removePidFile(pidFile);
  };

  // /metrics and /status answer from whichever session runs; a port in use fails the start.
  const startedAtMs = Date.now();
  let metrics: MetricsServer | undefined;
  if (a.metrics !== undefined) {
    try {
      metrics = await startMetricsServer({
        listen: a.metrics,
        status: () => {
          if (session === undefined) throw new Error('starting: no status yet');
          return liveStatus(session, a.config, startedAtMs);
        },
        warn: (m) => log.warn(m),
      });
      log.info(`metrics: http://${metrics.address}/metrics and /status`);
    } catch (err) {
      log.error(err instanceof Error ? err.message : String(err), { code: 'SPATIA_METRICS_LISTEN' });
      cleanUp();
      return EXIT.failure;
    }
  }

  let budget = a.durationUs === undefined ? Infinity : ticksBefore(a.durationUs, model.runtime.tickUs);
  let exit: number = EXIT.ok;
  let first = true;
  try {
    for (;;) {
      const explained = setUpExplain(model, a, io);
      if ('error' in explained) {
        log.error(explained.error);
        exit = EXIT.usage;
        break;
      }
      log.info(`${model.file}: ${model.sensors.length} sensors, ${model.conditions.length} conditions at ${(1e6 / model.runtime.tickUs).toFixed(2)} Hz`);
      try {
        session = await LiveSession.create({
          model: explained.model,
          configPath: a.config,
          clock,
          seed: a.seed,
          log,
          write,
          logPosition: first ? logPosition : undefined,
          explainer: explained.explainer,
          ...stallInjection(),
          onFirstTick: () => {
            notifier.ready(status());
            pinger.start();
          },
        });
      } catch (err) {
        log.error(err instanceof Error ? err.message : String(err));
        exit = EXIT.failure;
        break;
      }
      first = false;
      // A signal that came during start-up (recovery, opening devices) still counts.
      if (stopping || pending !== undefined) session.stop();
      let failed: { error: string } | undefined;
      try {
        failed = await session.runUntilStopped(budget);
      } finally {
        const ran = session.run.loop.ticks;
        await session.close();
        ticksDone += ran;
        budget -= ran;
        summary = session.run.summary();
      }
      if (failed !== undefined) {
        log.error(failed.error);
        exit = EXIT.failure;
        break;
      }
      const next = pending;
      pending = undefined;
      if (next === undefined || stopping || budget <= 0) break;
      log.info(`reload: ${a.config} swapped in at tick ${session.run.lastTick + 1}`);
      model = next;
    }
  } finally {
    pinger.stop();
    cleanUp();
    await metrics?.close();
    if (sink !== process.stdout && sinkError === undefined) await new Promise<void>((res) => sink.end(res));
    notifier.stopping();
    await notifier.flush();
  }
  if (exit !== EXIT.ok) return exit;
  const cp = session?.lastCheckpoint;
  if (summary !== undefined) log.info(`stopped: ${formatSummary(summary)}` + (cp === undefined ? '' : `; last checkpoint at tick ${cp.tick}`));
  return sinkError === undefined ? EXIT.ok : EXIT.failure;
}

/** `SPATIA_TEST_STALL_AT_TICK=N`: fault injection for the watchdog test (see LiveRunOptions.stallAtTick). */
function stallInjection(): { stallAtTick?: number } {
  const n = Number(process.env['SPATIA_TEST_STALL_AT_TICK']);
  return Number.isSafeInteger(n) && n >= 0 && process.env['SPATIA_TEST_STALL_AT_TICK'] !== undefined ? { stallAtTick: n } : {};
}

/** `STATUS=` for systemctl status: rate, lateness, overruns, last checkpoint. */
function statusLine(s: LiveSummary, checkpointTick: number | undefined): string {
  return `${s.rateHz.toFixed(1)} Hz, ${s.ticks} ticks, lateness p99 ${s.lateness.p99Ms} ms, ${s.overruns} overruns` + (checkpointTick === undefined ? '' : `, checkpoint at tick ${checkpointTick}`);
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
