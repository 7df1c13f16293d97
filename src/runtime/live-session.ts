import { dirname, resolve } from 'node:path';
import type { DeploymentModel } from '../config/model.js';
import { formatRecord } from '../core/event-record.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { createLiveSources, headerChipsOf } from '../sensors/live/create-source.js';
import type { Explainer } from './explain.js';
import { createLiveActions, type LiveActions, type LiveEvent } from './live-actions.js';
import type { OutboxStats } from '../actions/outbox/outbox.js';
import type { TickProfiler } from '../profiler/tick-profiler.js';
import type { Engine } from '../core/engine.js';
import type { LivePersistence } from './live-persistence.js';
import { openPersistence } from './live-recovery-report.js';
import { LiveRun } from './live-run.js';
import type { LogPosition } from './sim-log-resume.js';
import { stateDirOf } from './state-dir.js';

export interface LiveSessionOptions {
  readonly model: DeploymentModel;
  /** The config file (relative paths in it are resolved against its directory). */
  readonly configPath: string;
  readonly clock: Clock;
  readonly seed: number;
  readonly log: Logger;
  /** Writes to the event log. */
  readonly write: (chunk: string) => void;
  /** Where `--out` stands, for the first session of a process; undefined otherwise. */
  readonly logPosition: LogPosition | undefined;
  readonly explainer: Explainer | undefined;
  /** Called once, after recovery and the first tick (READY=1). */
  readonly onFirstTick: () => void;
  /** See LiveRunOptions.stallAtTick. */
  readonly stallAtTick?: number;
  /** See LiveRunOptions.profiler. */
  readonly profiler?: (engine: Engine) => TickProfiler;
}

/**
 * One configuration's life inside `spatia run`: its sensors, actions, run and persistence, from
 * recovery to the final checkpoint. A reload (SIGHUP) ends the session at a tick boundary and
 * starts the next one on the new configuration, which recovers from the final checkpoint this
 * one wrote, keeping the state of every condition and pattern that did not change.
 */
export class LiveSession {
  private persistence: LivePersistence | undefined;
  private firstTickSeen = false;

  private constructor(
    readonly run: LiveRun,
    private readonly opts: LiveSessionOptions,
    private readonly closeSources: () => Promise<void>,
    private readonly actions: LiveActions,
  ) {}

  /** Builds sources, actions and the run; nothing is opened yet. Throws for an action that cannot be set up. */
  static async create(opts: LiveSessionOptions): Promise<LiveSession> {
    const { model, log } = opts;
    const headerChipLabels = await headerChipsOf(model, (line) => log.info(line));
    const sources = createLiveSources(model, { clock: opts.clock, headerChipLabels });
    // Output health reaches the log through the run, which exists once the actions are built.
    const early: LiveEvent[] = [];
    let onEvent = (e: LiveEvent): void => void early.push(e);
    const actions = await createLiveActions(model, { headerChipLabels, stateDir: stateDirOf(model), onEvent: (e) => onEvent(e) });
    // The run's callbacks reach the session, which needs the run to exist first.
    const box: { session?: LiveSession } = {};
    const run = new LiveRun(model, {
      runners: actions.runners,
      command: actions.command,
      clock: opts.clock,
      sourceFor: sources.sourceFor,
      // The log of a tick waits for the journal commit of its input (see LivePersistence).
      write: (chunk, tick) => box.session?.writeTick(chunk, tick),
      afterTick: (tick, frame) => box.session?.afterTick(tick, frame),
      ...(opts.explainer === undefined ? {} : { onTick: (engine, tick, tUs, records) => opts.explainer?.observe(engine, tick, tUs, records) }),
      seed: opts.seed,
      baseDir: dirname(resolve(opts.configPath)),
      ...(opts.stallAtTick === undefined ? {} : { stallAtTick: opts.stallAtTick }),
      ...(opts.profiler === undefined ? {} : { profiler: opts.profiler }),
    });
    onEvent = (e) => run.note(e);
    for (const e of early) run.note(e);
    box.session = new LiveSession(run, opts, () => sources.close(), actions);
    return box.session;
  }

  /**
   * Drives outputs safe, recovers from the state directory and runs ticks until `stop()` or
   * `maxTicks`. Returns an error message when the state directory belongs to another command.
   */
  async runUntilStopped(maxTicks: number): Promise<{ error: string } | undefined> {
    await this.actions.start();
    const { log } = this.opts;
    const opened = await openPersistence(this.run, {
      dir: stateDirOf(this.run.model),
      logPosition: this.opts.logPosition,
      writeLog: this.opts.write,
      err: (line) => (line.startsWith('WARNING: ') ? log.warn(line.slice(9)) : log.info(line)),
    });
    if ('error' in opened) return opened;
    this.persistence = opened.persistence;
    await this.run.run(maxTicks, opened.nextTick);
    return undefined;
  }

  /** Asks the run to stop after the tick in progress. */
  stop(): void {
    this.run.stop();
  }

  /** The outbox's counters (/status), when outputs.mqtt is configured. */
  outboxStats(): OutboxStats | undefined {
    return this.actions.outboxStats();
  }

  /** What the journal wrote (/status), once persistence is open. */
  journalStats(): { bytesWritten: number; lastSyncedTick: number; bytesDropped: number } | undefined {
    const st = this.persistence?.journal.stats;
    return st === undefined ? undefined : { bytesWritten: st.bytesDurable, lastSyncedTick: st.lastDurableTick, bytesDropped: st.bytesDropped };
  }

  /** The newest checkpoint written, for the summary and /status. */
  get lastCheckpoint(): { tick: number; atMs: number; file: string } | undefined {
    return this.persistence?.lastCheckpoint;
  }

  /**
   * Lets running actions finish (bounded; the unfinished rest is owed to the next session),
   * writes the final checkpoint, and releases devices and connections.
   */
  async close(): Promise<void> {
    this.opts.explainer?.finish();
    await this.run.close({ keepOwedActions: this.persistence !== undefined });
    await this.persistence?.finish(this.run.lastTick);
    await this.closeSources();
  }

  /** A record outside any tick's evaluation (a runtime fault), straight to the log. */
  writeNow(record: Readonly<Record<string, unknown>>): void {
    this.opts.write(formatRecord(record as Parameters<typeof formatRecord>[0]));
  }

  private writeTick(chunk: string, tick: number): void {
    if (this.persistence === undefined) this.opts.write(chunk);
    else this.persistence.hold(tick, chunk);
  }

  private afterTick(tick: number, frame: Parameters<LivePersistence['afterTick']>[1]): void {
    this.persistence?.afterTick(tick, frame);
    if (!this.firstTickSeen) {
      this.firstTickSeen = true;
      this.opts.onFirstTick();
    }
  }
}
