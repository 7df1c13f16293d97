import { join } from 'node:path';
import type { ActionDispatcher } from '../actions/action-dispatcher.js';
import type { PendingRun } from '../actions/pending-runs.js';
import type { Engine } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import type { Frame } from '../core/frame.js';
import { CheckpointStore } from '../persistence/checkpoint/checkpoint-store.js';
import type { HealthListener } from '../persistence/persistence-health.js';
import { describeError, errnoOf } from '../persistence/persistence-env.js';
import { JournalWriter } from '../persistence/journal/journal-writer.js';
import { engineLayout, type CarriedState, type EngineLayout } from './carry-state.js';
import { recover } from './live-recovery.js';

/** Layout version of the parts of a live checkpoint (`live`, `layout`, `engine`, `actions`). */
export const LIVE_STATE_FORMAT = 1;

/** A journal commit that takes longer than this (a stalled disk) no longer holds the log back. */
const MAX_HOLD_US = 30_000_000;

/** What `spatia run` persists of itself: the engine and the dispatcher. */
export interface PersistedRun {
  readonly engine: Engine;
  readonly dispatcher: ActionDispatcher;
}

export interface LivePersistenceOptions {
  /** The state directory (`journal/` and `checkpoints/` go inside). */
  readonly dir: string;
  readonly configHash: string;
  readonly onHealth: HealthListener;
  /** One line per thing recovery found or did, for stderr. */
  readonly report: (line: string) => void;
  /**
   * The last tick the event log holds (`--out FILE`): the records of replayed ticks after it are
   * returned for the log. Undefined (stdout): none are, since a tick's log is released right
   * after its journal commit, before a crash could lose it.
   */
  readonly logThroughTick?: number;
  /** Wall clock, ms since the epoch (tests). */
  readonly wallMs?: () => number;
  /** Journal group commit interval, ms. Default: `runtime.journal_sync_every`. */
  readonly fsyncIntervalMs?: number;
}

/** What recovery did, for the log's `recovery` record and the status line. */
export interface LiveRecovery {
  /**
   * `new`: nothing to resume. `resumed`: state restored (checkpoint and/or journal).
   * `fresh`: there was state but temporal state starts fresh (see `reason`).
   */
  readonly outcome: 'new' | 'resumed' | 'fresh';
  readonly reason: string | undefined;
  /** Tick of the checkpoint restored, -1 for none. */
  readonly checkpointTick: number;
  readonly checkpointFile: string | undefined;
  /** Journal ticks run through the engine after it. */
  readonly replayedTicks: number;
  /** The first live tick. */
  readonly nextTick: number;
  /** Time since the previous run last wrote its state, s (undefined when there was none). */
  readonly downtimeS: number | undefined;
  /** Set when the checkpoint was taken under another configuration. */
  readonly carried: CarriedState | undefined;
  /** Action runs the checkpoint owed, handed back to the dispatcher. */
  readonly resumedRuns: number;
  /** Records of replayed ticks after `logThroughTick`, for the log. */
  readonly records: readonly EventRecord[];
}

/** The checkpoint parts of a live run. */
export interface LiveParts {
  readonly live: { readonly tick: number };
  readonly layout: EngineLayout;
  readonly engine: unknown;
  readonly actions: readonly PendingRun[];
}

/**
 * Persistence for `spatia run` (SPEC §6): each tick's input is journaled; the engine's state
 * and the dispatcher's owed action runs are checkpointed every `checkpoint_every` and at
 * shutdown; on start, the newest valid checkpoint is restored and the journal after it replayed
 * (log suppressed: those records were written before the restart), then live ticks continue the
 * tick numbers.
 *
 * The event log of a tick is released once the journal commit that covers the tick's input has
 * been attempted (see {@link hold}): so the log never runs ahead of what recovery can replay, and
 * after a crash the resumed run neither repeats nor skips tick numbers. The log lags the tick by
 * at most `journal_sync_every`; a disk that refuses writes does not hold it back.
 */
export class LivePersistence {
  private held: string[] = [];
  private heldTicks: number[] = [];
  private pending: { tick: number; parts: LiveParts } | undefined;
  private nextCheckpointTick: number;
  private readonly everyTicks: number;
  /** The longest a tick's log waits for its journal commit, in ticks. */
  private readonly maxHoldTicks: number;
  private writes: Promise<unknown> = Promise.resolve();
  private layout: EngineLayout | undefined;
  private release: (chunk: string) => void = () => undefined;
  private closed = false;
  /** The newest checkpoint written (for /status and the summary). */
  lastCheckpoint: { tick: number; atMs: number; file: string } | undefined;

  private constructor(
    private readonly run: PersistedRun,
    private readonly opts: LivePersistenceOptions & { readonly checkpointEveryUs: number },
    readonly journal: JournalWriter,
    private readonly store: CheckpointStore,
    nextTick: number,
    /** Set by the journal's health events: while it cannot write, the log is not held. */
    private readonly journalHealth: { readonly failing: boolean },
  ) {
    this.everyTicks = Math.max(1, Math.round(opts.checkpointEveryUs / run.engine.periodUs));
    const syncUs = (opts.fsyncIntervalMs ?? run.engine.model.runtime.journalSyncEveryUs / 1000) * 1000;
    this.maxHoldTicks = Math.ceil(Math.max(10 * syncUs, MAX_HOLD_US) / run.engine.periodUs);
    this.nextCheckpointTick = nextTick + this.everyTicks - 1;
  }

  /**
   * Opens the state in `opts.dir` and brings `run` to where the previous run stopped. Never
   * throws for damage (it is reported and worked around); returns an error message for a state
   * directory that another command wrote.
   */
  static async open(run: PersistedRun, opts: LivePersistenceOptions): Promise<{ persistence: LivePersistence; recovery: LiveRecovery } | { error: string }> {
    const model = run.engine.model;
    const wallMs = opts.wallMs ?? Date.now;
    const journalDir = join(opts.dir, 'journal');
    const store = new CheckpointStore(join(opts.dir, 'checkpoints'), { onHealth: opts.onHealth });
    let latest: Awaited<ReturnType<CheckpointStore['readLatestValid']>> = { checkpoint: undefined, rejected: [] };
    try {
      latest = await store.readLatestValid({ formatVersion: LIVE_STATE_FORMAT });
    } catch (err) {
      // The directory cannot even be listed: run without recovered state rather than not at all.
      opts.onHealth({
        component: 'checkpoint',
        status: 'degraded',
        code: 'SPATIA_CHECKPOINT_REJECTED',
        errno: errnoOf(err),
        message: `checkpoints: cannot read ${store.dir}: ${describeError(err)}; starting without recovered state`,
      });
    }
    const { checkpoint, rejected } = latest;
    for (const r of rejected) opts.report(r.message);
    const parts = checkpoint?.parts as Partial<LiveParts> | undefined;
    if (checkpoint !== undefined && (parts?.live === undefined || parts.layout === undefined)) {
      return { error: `${checkpoint.file} is not a checkpoint of spatia run (spatia sim --state-dir wrote it?): use another state_dir for the live run` };
    }
    // Opening the writer first cuts a torn tail, so the reader below sees only good records.
    let onCommit: (tick: number) => void = () => undefined;
    const journalHealth = { failing: false };
    const onJournalHealth: HealthListener = (h) => {
      journalHealth.failing = h.status !== 'ok';
      opts.onHealth(h);
    };
    const journal = await JournalWriter.open({
      dir: journalDir,
      configHash: opts.configHash,
      periodUs: run.engine.periodUs,
      sensors: model.sensors.map((s) => s.id),
      fsyncIntervalMs: opts.fsyncIntervalMs ?? model.runtime.journalSyncEveryUs / 1000,
      retention: { durationUs: model.runtime.journalKeepUs },
      onHealth: onJournalHealth,
      onCommit: (tick) => onCommit(tick),
    });
    for (const cut of journal.recovery.cuts) opts.report(cut.message);

    const recovery = recover(run, checkpoint === undefined ? undefined : { ...(parts as LiveParts), file: checkpoint.file, tick: checkpoint.tick, configHash: checkpoint.configHash, writtenAtMs: checkpoint.header.writtenAtMs }, journal, journalDir, opts, wallMs());
    const p = new LivePersistence(run, { ...opts, checkpointEveryUs: model.runtime.checkpointEveryUs }, journal, store, recovery.nextTick, journalHealth);
    onCommit = (tick) => p.committed(tick);
    return { persistence: p, recovery };
  }

  /** Where released log chunks go (the event log sink). */
  setLogSink(write: (chunk: string) => void): void {
    this.release = write;
  }

  /**
   * Holds a tick's log chunk until the journal commit covering `tick` has been attempted. Chunks
   * come in tick order.
   */
  hold(tick: number, chunk: string): void {
    if (this.closed) {
      this.release(chunk);
      return;
    }
    this.held.push(chunk);
    this.heldTicks.push(tick);
    // A disk that refuses writes (retries back off up to 30 s) or stalls must not hold the log
    // back: while the journal is failing, or past a bound, the log goes out undurable.
    if (this.journalHealth.failing) this.flushHeld(tick);
    else if ((this.heldTicks[0] as number) < tick - this.maxHoldTicks) this.flushHeld(tick - this.maxHoldTicks);
  }

  /** After each live tick: journals its input and takes a checkpoint's snapshot when one is due. */
  afterTick(tick: number, frame: Frame): void {
    if (tick > this.journal.lastAppendedTick) this.journal.append(tick, frame);
    if (tick >= this.nextCheckpointTick) {
      this.pending = { tick, parts: this.snapshot(tick, this.run.dispatcher.pendingRuns()) };
      this.nextCheckpointTick = tick + this.everyTicks;
    }
  }

  /**
   * At shutdown, after the dispatcher closed (keeping what it owed): the final checkpoint of
   * `lastTick`, everything made durable, the held log released, the journal closed.
   */
  async finish(lastTick: number): Promise<void> {
    if (lastTick >= 0) this.pending = { tick: lastTick, parts: this.snapshot(lastTick, this.run.dispatcher.pendingRuns()) };
    await this.journal.close();
    this.closed = true;
    this.flushHeld(Infinity);
    this.writePending(Infinity);
    await this.writes;
    await this.store.idle();
  }

  private snapshot(tick: number, actions: readonly PendingRun[]): LiveParts {
    this.layout ??= engineLayout(this.run.engine);
    return { live: { tick }, layout: this.layout, engine: this.run.engine.snapshot(), actions };
  }

  /** A journal commit covering ticks up to `tick` was attempted. */
  private committed(tick: number): void {
    this.flushHeld(tick);
    this.writePending(tick);
  }

  private flushHeld(tick: number): void {
    let n = 0;
    while (n < this.heldTicks.length && (this.heldTicks[n] as number) <= tick) n++;
    if (n === 0) return;
    const out = n === this.held.length ? this.held.join('') : this.held.slice(0, n).join('');
    this.held = this.held.slice(n);
    this.heldTicks = this.heldTicks.slice(n);
    this.release(out);
  }

  /** Writes the pending snapshot once the journal and the log hold its tick. */
  private writePending(tick: number): void {
    const p = this.pending;
    if (p === undefined || p.tick > tick) return;
    this.pending = undefined;
    const write = this.store
      .write({ tick: p.tick, configHash: this.opts.configHash, formatVersion: LIVE_STATE_FORMAT, periodUs: this.run.engine.periodUs, parts: p.parts as unknown as Record<string, unknown> })
      .then(async (r) => {
        if (r.status !== 'written') return;
        this.lastCheckpoint = { tick: p.tick, atMs: Date.now(), file: r.file };
        // The oldest checkpoint kept may be fallen back to: keep the journal after it.
        if (r.keptTicks[0] !== undefined) await this.journal.deleteCoveredBy(r.keptTicks[0]);
      });
    this.writes = Promise.all([this.writes, write]);
  }
}
