import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { EventRecord } from '../core/event-record.js';
import { CheckpointStore } from '../persistence/checkpoint/checkpoint-store.js';
import type { HealthListener } from '../persistence/persistence-health.js';
import { JournalReader } from '../persistence/journal/journal-reader.js';
import { JournalWriter } from '../persistence/journal/journal-writer.js';
import { replayFrames, sensorMapper } from '../persistence/journal/replay-frames.js';
import type { Simulation } from './simulation.js';

/** Layout version of the parts of a sim checkpoint (`sim`, `engine`, `sampler`). */
export const SIM_STATE_FORMAT = 1;

/** `<state_dir>/sim.json`: what the state in the directory was made by. */
interface SimMeta {
  readonly configHash: string;
  readonly seed: number;
}

export interface SimPersistenceOptions {
  readonly dir: string;
  readonly configHash: string;
  readonly seed: number;
  /** Checkpoint after every tick k with (k + 1) % everyTicks === 0, and at the end. */
  readonly everyTicks: number;
  /** Ticks to run in all (`--duration`): replay never goes past the last of them. */
  readonly totalTicks: number;
  readonly onHealth: HealthListener;
  /** One line per thing recovery found (rejected checkpoints, journal damage). */
  readonly report: (line: string) => void;
}

/** What {@link SimPersistence.open} restored and replayed. */
export interface SimRecovery {
  /** The directory held state of an earlier run (its log is to be continued, not restarted). */
  readonly resumed: boolean;
  /** Tick of the checkpoint restored, -1 for none. */
  readonly checkpointTick: number;
  /** Journal ticks run through the engine after it. */
  readonly replayedTicks: number;
}

/**
 * Persistence for `spatia sim --state-dir`: journals each tick's frame, checkpoints the
 * simulation every `everyTicks` and at the end, and on open resumes from what the directory
 * holds: the newest valid checkpoint, then the journal after it through `Simulation.replayTick`.
 *
 * Ordering, which makes a killed and resumed run's log equal the uninterrupted one: the caller
 * runs ticks, then `await commitJournal()`, then writes and syncs the log of those ticks, then
 * `checkpoint()`. So a checkpoint at tick C is only written once the journal and the log hold
 * every tick up to C, and the log never holds a tick the journal does not.
 */
export class SimPersistence {
  private pending: { tick: number; parts: Record<string, unknown> } | undefined;
  private lastCheckpointTick: number;
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly sim: Simulation,
    private readonly opts: SimPersistenceOptions,
    private readonly journal: JournalWriter,
    private readonly store: CheckpointStore,
    checkpointTick: number,
  ) {
    this.lastCheckpointTick = checkpointTick;
  }

  /**
   * Opens (or starts) the state in `opts.dir` and brings `sim` to where it stopped, passing the
   * records of replayed ticks to `out` (the caller decides which the log already holds). Returns
   * an error message, having changed nothing on disk, when the directory holds the state of
   * another configuration or seed.
   */
  static async open(sim: Simulation, opts: SimPersistenceOptions, out: EventRecord[]): Promise<{ persistence: SimPersistence; recovery: SimRecovery } | { error: string }> {
    const metaFile = join(opts.dir, 'sim.json');
    const journalDir = join(opts.dir, 'journal');
    const store = new CheckpointStore(join(opts.dir, 'checkpoints'), { onHealth: opts.onHealth });
    const hasState = (await store.list()).length > 0 || new JournalReader(journalDir).segments().length > 0;
    const meta = readMeta(metaFile);
    if (meta === undefined && hasState) return { error: `${opts.dir} holds state that spatia sim did not write (no sim.json); use another --state-dir` };
    if (meta !== undefined && meta.configHash !== opts.configHash) {
      return { error: `${opts.dir} holds the state of another configuration (hash ${meta.configHash.slice(0, 12)}, this one ${opts.configHash.slice(0, 12)}); resuming a changed configuration is not supported by sim yet: use another --state-dir or delete it` };
    }
    if (meta !== undefined && meta.seed !== opts.seed) return { error: `${opts.dir} holds a run with --seed ${meta.seed}, not ${opts.seed}` };
    if (meta === undefined) writeMeta(metaFile, { configHash: opts.configHash, seed: opts.seed });

    const { checkpoint, rejected } = await store.readLatestValid({ formatVersion: SIM_STATE_FORMAT });
    for (const r of rejected) opts.report(r.message);
    if (checkpoint !== undefined && checkpoint.configHash !== opts.configHash) return { error: `checkpoint ${checkpoint.file} is of another configuration (hash ${checkpoint.configHash.slice(0, 12)})` };
    if (checkpoint !== undefined) {
      const p = checkpoint.parts as { sim: { tickIndex: number }; engine: unknown; sampler: unknown };
      sim.restore({ tickIndex: p.sim.tickIndex, engine: p.engine, sampler: p.sampler });
    }
    const checkpointTick = checkpoint?.tick ?? -1;
    // Opening the writer first cuts a torn tail, so the reader below sees only good records.
    const journal = await JournalWriter.open({ dir: journalDir, configHash: opts.configHash, periodUs: sim.periodUs, sensors: sim.model.sensors.map((s) => s.id), onHealth: opts.onHealth });
    for (const cut of journal.recovery.cuts) opts.report(cut.message);
    const replayed = replay(sim, journalDir, opts, out);
    if ('error' in replayed) {
      await journal.close();
      return replayed;
    }
    const persistence = new SimPersistence(sim, opts, journal, store, checkpointTick);
    return { persistence, recovery: { resumed: meta !== undefined, checkpointTick, replayedTicks: replayed.ticks } };
  }

  /** Call after each live tick: journals its frame and takes the snapshot of a checkpoint when due. */
  afterTick(): void {
    const k = this.sim.tickIndex - 1;
    // After damage in an older segment the journal on disk may run past what could be replayed.
    if (k > this.journal.lastAppendedTick) this.journal.append(k, this.sim.sampler.frame);
    if ((k + 1) % this.opts.everyTicks === 0) this.takeSnapshot();
  }

  /** Makes every journaled tick durable (resolves even when the disk refused: see onHealth). */
  commitJournal(): Promise<void> {
    return this.journal.flush();
  }

  /** Writes the newest snapshot taken, if any; call once the log holds its tick. */
  checkpoint(): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    this.lastCheckpointTick = p.tick;
    const write = this.store.write({ tick: p.tick, configHash: this.opts.configHash, formatVersion: SIM_STATE_FORMAT, periodUs: this.sim.periodUs, parts: p.parts }).then(async (r) => {
      // The oldest checkpoint kept may be fallen back to: keep the journal after it.
      if (r.status === 'written' && r.keptTicks[0] !== undefined) await this.journal.deleteCoveredBy(r.keptTicks[0]);
    });
    this.writes = Promise.all([this.writes, write]);
  }

  /** At the end: a last checkpoint (of the last tick run), then everything durable and closed. */
  async finish(): Promise<void> {
    if (this.sim.tickIndex - 1 > this.lastCheckpointTick && this.pending?.tick !== this.sim.tickIndex - 1) this.takeSnapshot();
    await this.commitJournal();
    this.checkpoint();
    await this.writes;
    await this.store.idle();
    await this.journal.close();
  }

  private takeSnapshot(): void {
    const s = this.sim.snapshot();
    this.pending = { tick: s.tickIndex - 1, parts: { sim: { tickIndex: s.tickIndex, seed: this.opts.seed }, engine: s.engine, sampler: s.sampler } };
  }
}

/** Runs the journal after the restored tick through the simulation, up to its last record. */
function replay(sim: Simulation, journalDir: string, opts: SimPersistenceOptions, out: EventRecord[]): { ticks: number } | { error: string } {
  const reader = new JournalReader(journalDir);
  const segments = reader.segments();
  const from = sim.tickIndex;
  if (segments.length === 0) return { ticks: 0 };
  if ((segments[0]?.firstTick ?? 0) > from) return { error: `journal in ${journalDir} starts at tick ${segments[0]?.firstTick}, after the checkpoint's tick ${from - 1}: the input in between is gone` };
  let ticks = 0;
  const ids = sim.model.sensors.map((s) => s.id);
  // No toTick: the frames end with the last good record, never padded with empty ones.
  for (const { tick, frame } of replayFrames(reader.records(from), { size: ids.length, fromTick: from, mapFor: sensorMapper(reader, ids) })) {
    if (tick >= opts.totalTicks) break;
    const hash = reader.header?.configHash;
    if (hash !== opts.configHash) return { error: `journal segment in ${journalDir} is of another configuration (hash ${String(hash).slice(0, 12)})` };
    if (tick !== sim.tickIndex) return { error: `journal replay: tick ${tick} where ${sim.tickIndex} was expected` };
    sim.replayTick(frame, out);
    ticks++;
  }
  const damage = reader.outcome.damage;
  if (damage !== undefined) opts.report(damage.message);
  for (const gap of reader.outcome.gaps) opts.report(gap.message);
  return { ticks };
}

function readMeta(file: string): SimMeta | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as SimMeta;
}

/** Written once, atomically, before anything else: a directory with state always has it. */
function writeMeta(file: string, meta: SimMeta): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, JSON.stringify(meta) + '\n');
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
