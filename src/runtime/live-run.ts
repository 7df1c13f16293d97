import { ActionDispatcher } from '../actions/action-dispatcher.js';
import type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from '../actions/action-runner.js';
import { LogRunner } from '../actions/log-runner.js';
import type { ActionModel, DeploymentModel, SensorModel } from '../config/model.js';
import { ConfigError } from '../config/issues.js';
import { buildEngine } from '../core/build-graph.js';
import type { Engine } from '../core/engine.js';
import type { Frame } from '../core/frame.js';
import { formatRecord, secondsOf, type EventRecord } from '../core/event-record.js';
import type { Clock } from '../platform/clock.js';
import { LiveSampler, playsSignal } from '../sensors/live/live-sampler.js';
import type { LiveSource } from '../sensors/live/source.js';
import { LiveStats, type Percentiles } from './live-stats.js';
import { TickLoop } from './tick-loop.js';
import { TickPhase } from '../profiler/tick-phase.js';
import type { TickProfiler } from '../profiler/tick-profiler.js';
import { tickTimeUs } from '../conditions/temporal-op.js';

/** Overrun records are written at most this often (in ticks' time), with the running count. */
const OVERRUN_RECORD_EVERY_US = 10_000_000;
/** Health records kept for /status. */
const RECENT_HEALTH = 32;

export interface LiveRunOptions {
  readonly clock: Clock;
  /** The live source of each non-mock sensor, or undefined for a sensor with none. */
  readonly sourceFor: (sensor: SensorModel, index: number) => LiveSource | undefined;
  /**
   * Where the event log goes, one JSON line per record: called once per tick that has records,
   * with the tick they belong to.
   */
  readonly write: (chunk: string, tick: number) => void;
  /** Called after each tick's evaluation with the input it ran on (the journal). */
  readonly afterTick?: (tick: number, frame: Frame) => void;
  readonly seed?: number;
  readonly baseDir?: string;
  /**
   * The runner of each action kind besides `log` (built in). A kind without one is reported as a
   * failed action, reason `unavailable`.
   */
  readonly runners?: Partial<Record<ActionModel['kind'], ActionRunner>>;
  /** Carries out a callback's commands. */
  readonly command?: (c: ActionCommand, job: ActionJob) => Promise<ActionOutcome>;
  /** How long shutdown waits for running actions before aborting them. Default 2000 ms. */
  readonly actionGraceMs?: number;
  /** Called after each tick's evaluation with its records (`--explain`). */
  readonly onTick?: (engine: Engine, tick: number, tUs: number, records: readonly EventRecord[]) => void;
  /** See TickLoopOptions.maxCatchUpTicks. */
  readonly maxCatchUpTicks?: number;
  /**
   * Fault injection for the watchdog test (`SPATIA_TEST_STALL_AT_TICK`): this tick awaits a
   * promise that never settles, the way a bug in an awaited port would hang the loop.
   */
  readonly stallAtTick?: number;
  /**
   * `spatia profile --live`: times the tick's phases (sampled), every sensor read and action, and
   * takes the loop's lateness and tick durations.
   */
  readonly profiler?: (engine: Engine) => TickProfiler;
}

/** The figures `spatia run` prints when it stops (and `status()` returns while it runs). */
export interface LiveSummary {
  readonly ticks: number;
  readonly elapsedS: number;
  readonly rateHz: number;
  readonly overruns: number;
  readonly skippedS: number;
  readonly lateness: Percentiles;
  readonly tickDuration: Percentiles;
  readonly edges: number;
  readonly actions: number;
  readonly sensorEvents: number;
  readonly pushValues: number;
}

/**
 * A deployment running on the real clock (`spatia run`): the tick loop drives the live sampler
 * and the engine; records go to `write` as they happen. Failures of sensors, transports and
 * actions are records in the log; nothing they do stops the loop.
 */
export class LiveRun {
  readonly engine: Engine;
  readonly sampler: LiveSampler;
  readonly loop: TickLoop;
  readonly stats = new LiveStats();
  private readonly counts = { edges: 0, actions: 0, sensorEvents: 0 };
  private lastOverrunRecordUs = -Infinity;
  private overrunsLogged = 0;
  private startedUs = 0;
  /** `spatia profile --live`: see LiveRunOptions.profiler. */
  readonly profiler: TickProfiler | undefined;
  /** The newest tick run, -1 before the first. */
  lastTick = -1;
  private readonly out: EventRecord[] = [];
  private readonly edges = new Map<string, EventRecord>();
  /** The newest records about health (sensors, transports, persistence, the loop), for /status. */
  readonly recentHealth: EventRecord[] = [];
  /** Records from outside the tick (output health, ...), written at the next tick. */
  private notes: Array<Readonly<Record<string, unknown>>> = [];
  readonly dispatcher: ActionDispatcher;

  constructor(
    readonly model: DeploymentModel,
    private readonly opts: LiveRunOptions,
  ) {
    const { engine, issues } = buildEngine(model);
    if (engine === undefined) throw new ConfigError(issues.sorted());
    this.engine = engine;
    this.dispatcher = new ActionDispatcher({
      runners: { log: new LogRunner(), ...opts.runners },
      modes: new Map(model.conditions.map((c) => [c.id, c.actionMode])),
      ...(opts.profiler === undefined ? {} : { observe: { nowUs: () => opts.clock.nowUs(), action: (kind: string, us: number, ok: boolean) => this.profiler?.recordAction(kind, us, ok) } }),
      ...(opts.command === undefined ? {} : { command: opts.command }),
    });
    const sources = model.sensors.map((s, i) => (playsSignal(s) ? undefined : opts.sourceFor(s, i)));
    const profiler = opts.profiler?.(engine);
    this.profiler = profiler;
    this.sampler = new LiveSampler(model, sources, {
      clock: opts.clock,
      seed: opts.seed ?? 1,
      baseDir: opts.baseDir ?? '.',
      periodUs: engine.periodUs,
      ...(profiler === undefined ? {} : { onRead: (i: number, us: number, outcome: 'ok' | 'timeout' | 'error') => profiler.recordRead(i, us, outcome) }),
    });
    this.loop = new TickLoop(
      opts.clock,
      {
        periodUs: engine.periodUs,
        ...(opts.maxCatchUpTicks === undefined ? {} : { maxCatchUpTicks: opts.maxCatchUpTicks }),
        onTickDone: (_tick, durationUs, overran, latenessUs) => {
          this.stats.recordDuration(durationUs);
          profiler?.recordLoop(latenessUs, durationUs, overran);
        },
        onRebase: (r) => {
          const tUs = r.tick * engine.periodUs;
          this.emit([{ t: secondsOf(tUs), tick: r.tick, type: 'loop', status: 'rebased', skipped_s: secondsOf(r.skippedUs), code: 'SPATIA_TICK_OVERRUN' }], r.tick);
        },
      },
      (t) => this.tick(t.tick, t.tUs, t.latenessUs),
    );
  }

  /**
   * Opens devices and starts push sources (bounded wait), then runs ticks `firstTick`, ... until
   * `stop()` (a resumed run continues the previous run's tick numbers).
   */
  async run(maxTicks = Infinity, firstTick = 0): Promise<void> {
    await this.sampler.start();
    this.startedUs = this.opts.clock.nowUs();
    this.lastTick = firstTick - 1;
    await this.loop.run(maxTicks, firstTick);
  }

  /** Stops after the tick in progress; `run()` then resolves. */
  stop(): void {
    this.loop.stop();
  }

  /**
   * Lets running actions finish (bounded), logs what they did, and releases every device,
   * connection, worker and line. With `keepOwedActions` (a final checkpoint follows), runs not
   * finished are kept for `dispatcher.pendingRuns()` instead of dropped.
   */
  async close(opts: { keepOwedActions?: boolean } = {}): Promise<void> {
    await this.dispatcher.close(this.opts.actionGraceMs ?? 2000, { keep: opts.keepOwedActions === true });
    const tick = Math.max(0, this.lastTick);
    const last = this.dispatcher.takeRecords(secondsOf(tickTimeUs(tick, this.engine.periodUs)), tick);
    if (last.length > 0) this.emit(last, tick);
    await this.sampler.close();
  }

  private tick(tick: number, tUs: number, latenessUs: number): void | Promise<void> {
    if (tick === this.opts.stallAtTick) return new Promise<void>(() => undefined);
    this.profiler?.beginTick();
    this.stats.recordLateness(latenessUs);
    const wait = this.sampler.begin(tUs);
    if (wait !== undefined) return wait.then(() => this.evaluate(tick, tUs));
    this.evaluate(tick, tUs);
  }

  private evaluate(tick: number, tUs: number): void {
    const frame = this.sampler.fill(tUs);
    const p = this.profiler;
    p?.mark(TickPhase.Read);
    const { records, actions } = p === undefined ? this.engine.step(frame, tick) : p.step(this.engine, frame, tick);
    this.lastTick = tick;
    this.opts.afterTick?.(tick, frame);
    p?.mark(TickPhase.Journal);
    this.opts.onTick?.(this.engine, tick, tUs, records);
    const out = this.out;
    const t = secondsOf(tUs);
    for (const e of this.sampler.takeTransportEvents()) {
      const r: EventRecord = { t, tick, type: 'transport', transport: e.transport, status: e.status };
      if (e.code !== undefined) r['code'] = e.code;
      if (e.message !== undefined) r['error'] = e.message;
      out.push(r);
    }
    if (this.notes.length > 0) {
      for (const n of this.notes) out.push({ t, tick, type: 'note', ...n } as EventRecord);
      this.notes = [];
    }
    for (const r of records) {
      if (r.type === 'edge') this.counts.edges++;
      else this.counts.sensorEvents++;
      out.push(r);
    }
    if (actions.length > 0) {
      this.edges.clear();
      for (const r of records) if (r.type === 'edge') this.edges.set(String(r['id']), r);
      this.counts.actions += actions.length;
      this.dispatcher.submit(actions, this.edges);
    }
    // What finished since the last tick (and what this tick's edges could not even start).
    for (const r of this.dispatcher.takeRecords(t, tick)) out.push(r);
    if (this.loop.overruns > 0 && tUs - this.lastOverrunRecordUs >= OVERRUN_RECORD_EVERY_US && this.overrunsLogged !== this.loop.overruns) {
      this.lastOverrunRecordUs = tUs;
      this.overrunsLogged = this.loop.overruns;
      out.push({ t, tick, type: 'loop', status: 'overrun', overruns: this.loop.overruns, code: 'SPATIA_TICK_OVERRUN' });
    }
    if (out.length > 0) {
      this.emit(out, tick);
      out.length = 0;
    }
    if (p !== undefined) {
      p.mark(TickPhase.Dispatch);
      p.endTick();
    }
  }

  private emit(records: readonly EventRecord[], tick: number): void {
    let chunk = '';
    for (const r of records) {
      chunk += formatRecord(r);
      if (r.type !== 'edge' && r.type !== 'action' && r.type !== 'recovery') {
        this.recentHealth.push(r);
        if (this.recentHealth.length > RECENT_HEALTH) this.recentHealth.shift();
      }
    }
    this.opts.write(chunk, tick);
  }

  /** Queues a record (its `type` and fields) for the log; it is written at the next tick. */
  note(record: Readonly<Record<string, unknown>> & { readonly type: string }): void {
    this.notes.push(record);
  }

  /** The figures so far. */
  summary(): LiveSummary {
    const ticks = this.loop.ticks;
    const elapsedS = Math.max(0, this.opts.clock.nowUs() - this.startedUs) / 1e6;
    return {
      ticks,
      elapsedS,
      // Ticks per second between the first and the last tick's start.
      rateHz: ticks > 1 && this.loop.lastStartUs > this.loop.firstStartUs ? ((ticks - 1) * 1e6) / (this.loop.lastStartUs - this.loop.firstStartUs) : 0,
      overruns: this.loop.overruns,
      skippedS: this.loop.skippedUs / 1e6,
      lateness: LiveStats.percentiles(this.stats.lateness),
      tickDuration: LiveStats.percentiles(this.stats.duration),
      ...this.counts,
      pushValues: this.sampler.pushDelivered,
    };
  }
}
