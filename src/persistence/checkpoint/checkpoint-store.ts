import { join } from 'node:path';
import { fsyncDir } from '../fsync-dir.js';
import { describeError, errnoOf, persistenceEnv, type PersistenceEnv } from '../persistence-env.js';
import type { HealthListener } from '../persistence-health.js';
import { CheckpointRejected, checkpointFileName, type CheckpointHeader, parseBody, parseCheckpointFileName, type RejectReason, verifyCheckpoint } from './checkpoint-format.js';
import { type CheckpointState, type SerializeTiming, serializeCheckpoint } from './checkpoint-serializer.js';
import { type CheckpointInspection, inspectCheckpoints } from './checkpoint-inspect.js';

export interface CheckpointStoreOptions {
  /** How many checkpoints to keep: the newest and the ones before it. Default 2. */
  readonly keep?: number;
  /** Longest stretch of serialization between turns of the event loop, ms. Default 4. */
  readonly sliceMs?: number;
  readonly onHealth?: HealthListener;
  readonly env?: Partial<PersistenceEnv>;
}

export type CheckpointWriteResult =
  | ({ readonly status: 'written'; readonly file: string; readonly tick: number; readonly keptTicks: readonly number[] } & SerializeTiming)
  /** A newer state arrived while this one waited for the write in progress; only the newest is written. */
  | { readonly status: 'superseded'; readonly tick: number }
  | { readonly status: 'failed'; readonly tick: number; readonly errno: string | undefined; readonly message: string };

/** A checkpoint that was read back whole and verified. */
export interface LoadedCheckpoint extends CheckpointState {
  readonly file: string;
  readonly header: CheckpointHeader;
  readonly bytes: number;
}

export interface CheckpointRejection {
  readonly file: string;
  readonly tick: number;
  readonly reason: RejectReason;
  readonly message: string;
}

/** What {@link CheckpointStore.readLatestValid} found. */
export interface LatestCheckpoint {
  /** The newest checkpoint that verified, or undefined (cold start). */
  readonly checkpoint: LoadedCheckpoint | undefined;
  /** Newer files that did not verify, newest first, each with the reason. */
  readonly rejected: readonly CheckpointRejection[];
}

/**
 * Checkpoint files in one directory (`<state_dir>/checkpoints`), SPEC §6. A write goes to a
 * temporary file, is fsynced, renamed over the final name and the directory fsynced, so a crash
 * at any point leaves either the old set of checkpoints or the new one, never a half-written file
 * under a checkpoint's name. The newest `keep` checkpoints known to be good are kept.
 *
 * Writes are coalesced: while one is in progress, a newer state waits, replacing any older waiting
 * one. Serialization runs in short slices between ticks (see serializeCheckpoint). Failures are
 * reported (once per episode) through `onHealth` and in the result; nothing is thrown.
 */
export class CheckpointStore {
  private readonly env: PersistenceEnv;
  private running: Promise<void> | undefined;
  private waiting: { state: CheckpointState; resolve: (r: CheckpointWriteResult) => void } | undefined;
  /** Ticks of checkpoint files readLatestValid rejected: they do not count as kept ones. */
  private readonly rejectedTicks = new Set<number>();
  private failing = false;

  constructor(
    readonly dir: string,
    private readonly opts: CheckpointStoreOptions = {},
  ) {
    this.env = persistenceEnv(opts.env);
  }

  /** Writes `state` (a snapshot nobody mutates until the promise settles). Never rejects. */
  write(state: CheckpointState): Promise<CheckpointWriteResult> {
    return new Promise((resolve) => {
      this.waiting?.resolve({ status: 'superseded', tick: this.waiting.state.tick });
      this.waiting = { state, resolve };
      if (this.running === undefined) this.running = this.drain();
    });
  }

  /** Resolves when no write is in progress or waiting. */
  async idle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  /**
   * Reads checkpoints newest first and returns the first that verifies (framing, CRC, JSON, file
   * format, and `formatVersion` when given), with the reasons the newer ones were rejected.
   */
  async readLatestValid(opts: { formatVersion?: number } = {}): Promise<LatestCheckpoint> {
    const rejected: CheckpointRejection[] = [];
    for (const { tick, file } of (await this.list()).reverse()) {
      try {
        const data = await this.env.fs.readFile(file);
        const v = verifyCheckpoint(data, opts.formatVersion);
        const parts = parseBody(v);
        const h = v.header;
        const checkpoint: LoadedCheckpoint = { file, header: h, bytes: data.length, tick: h.tick, configHash: h.configHash, formatVersion: h.stateFormat, parts, ...(h.periodUs === undefined ? {} : { periodUs: h.periodUs }) };
        return { checkpoint, rejected };
      } catch (err) {
        const reason: RejectReason = err instanceof CheckpointRejected ? err.reason : 'unreadable';
        const why = err instanceof CheckpointRejected ? err.message : describeError(err);
        rejected.push({ file, tick, reason, message: `checkpoint ${file} rejected (${reason}): ${why}` });
        this.rejectedTicks.add(tick);
      }
    }
    return { checkpoint: undefined, rejected };
  }

  /** A summary of every checkpoint file, for `spatia checkpoint inspect`. */
  async inspect(): Promise<CheckpointInspection> {
    return inspectCheckpoints(this.dir, await this.list(), this.env.fs);
  }

  /** Checkpoint files in the directory, oldest first. A missing directory has none. */
  async list(): Promise<Array<{ tick: number; file: string }>> {
    let names: string[];
    try {
      names = await this.env.fs.readdir(this.dir);
    } catch (err) {
      if (errnoOf(err) === 'ENOENT') return [];
      throw err;
    }
    const out: Array<{ tick: number; file: string }> = [];
    for (const name of names) {
      const tick = parseCheckpointFileName(name);
      if (tick !== undefined) out.push({ tick, file: join(this.dir, name) });
    }
    return out.sort((a, b) => a.tick - b.tick);
  }

  private async drain(): Promise<void> {
    for (let job = this.waiting; job !== undefined; job = this.waiting) {
      this.waiting = undefined;
      job.resolve(await this.writeNow(job.state));
    }
    this.running = undefined;
  }

  private async writeNow(state: CheckpointState): Promise<CheckpointWriteResult> {
    const fs = this.env.fs;
    const file = join(this.dir, checkpointFileName(state.tick));
    const tmp = `${file}.tmp`;
    try {
      await fs.mkdir(this.dir, { recursive: true });
      await this.removeTemporaries();
      const fh = await fs.open(tmp, 'w');
      let timing: SerializeTiming;
      try {
        timing = await serializeCheckpoint(fh, state, this.env, this.opts.sliceMs ?? 4);
      } finally {
        await fh.close();
      }
      await fs.rename(tmp, file);
      await fsyncDir(fs, this.dir);
      this.rejectedTicks.delete(state.tick);
      const keptTicks = await this.prune();
      if (this.failing) {
        this.failing = false;
        this.opts.onHealth?.({ component: 'checkpoint', status: 'ok', code: undefined, errno: undefined, message: `checkpoints are written again (${file})` });
      }
      return { status: 'written', file, tick: state.tick, keptTicks, ...timing };
    } catch (err) {
      await fs.unlink(tmp).catch(() => undefined);
      const message = `checkpoint at tick ${state.tick} not written to ${this.dir}: ${describeError(err)}; the previous checkpoint stays in use`;
      if (!this.failing) this.opts.onHealth?.({ component: 'checkpoint', status: 'degraded', code: 'SPATIA_CHECKPOINT_WRITE', errno: errnoOf(err), message });
      this.failing = true;
      return { status: 'failed', tick: state.tick, errno: errnoOf(err), message };
    }
  }

  /**
   * Deletes the checkpoint files older than the `keep` newest ones that were not rejected (files
   * not read back since start count as good: they were renamed into place only once complete).
   * A rejected file newer than those stays, for inspection, until it ages out. Returns the ticks
   * kept, oldest first.
   */
  private async prune(): Promise<number[]> {
    const keep = Math.max(1, this.opts.keep ?? 2);
    const files = await this.list();
    const kept = files.filter((f) => !this.rejectedTicks.has(f.tick)).slice(-keep).map((f) => f.tick);
    const oldestKept = kept[0] ?? 0;
    let removed = false;
    for (const { tick, file } of files) {
      if (tick >= oldestKept) continue;
      await this.env.fs.unlink(file);
      this.rejectedTicks.delete(tick);
      removed = true;
    }
    if (removed) await fsyncDir(this.env.fs, this.dir);
    return kept;
  }

  /** Leftovers of writes a crash interrupted. */
  private async removeTemporaries(): Promise<void> {
    for (const name of await this.env.fs.readdir(this.dir)) {
      if (name.startsWith('checkpoint-') && name.endsWith('.json.tmp')) await this.env.fs.unlink(join(this.dir, name));
    }
  }
}
