import { describeError, type PersistenceFs } from '../persistence-env.js';
import { CheckpointRejected, type CheckpointHeader, parseBody, type RejectReason, verifyCheckpoint } from './checkpoint-format.js';

/** One part of a checkpoint: its size and how many entries its main collections hold. */
export interface PartSummary {
  readonly name: string;
  readonly bytes: number;
  /** For an object part: the length of each array (or key count of each object) member. */
  readonly counts: Readonly<Record<string, number>>;
}

export interface CheckpointFileSummary {
  readonly file: string;
  readonly tick: number;
  readonly bytes: number;
  readonly status: 'valid' | 'rejected';
  readonly reason?: RejectReason;
  readonly message?: string;
}

/** The newest valid checkpoint, described. */
export interface CheckpointSummary {
  readonly file: string;
  readonly tick: number;
  /** Time of `tick` in the run, seconds (undefined when the period was not recorded). */
  readonly tS: number | undefined;
  readonly writtenAt: string;
  readonly configHash: string;
  readonly formatVersion: number;
  readonly fileFormat: number;
  readonly bytes: number;
  readonly parts: readonly PartSummary[];
}

export interface CheckpointInspection {
  readonly dir: string;
  /** Every checkpoint file, newest first. */
  readonly files: readonly CheckpointFileSummary[];
  readonly latest: CheckpointSummary | undefined;
}

/** Verifies every file in `files` and describes the newest valid one (`spatia checkpoint inspect`). */
export async function inspectCheckpoints(dir: string, files: ReadonlyArray<{ tick: number; file: string }>, fs: PersistenceFs): Promise<CheckpointInspection> {
  const out: CheckpointFileSummary[] = [];
  let latest: CheckpointSummary | undefined;
  for (const { tick, file } of [...files].reverse()) {
    let bytes = 0;
    try {
      const data = await fs.readFile(file);
      bytes = data.length;
      const v = verifyCheckpoint(data);
      const parts = parseBody(v);
      out.push({ file, tick, bytes, status: 'valid' });
      latest ??= summarize(file, bytes, v.header, v.trailer.partBytes, parts);
    } catch (err) {
      const reason: RejectReason = err instanceof CheckpointRejected ? err.reason : 'unreadable';
      out.push({ file, tick, bytes, status: 'rejected', reason, message: err instanceof CheckpointRejected ? err.message : describeError(err) });
    }
  }
  return { dir, files: out, latest };
}

function summarize(file: string, bytes: number, h: CheckpointHeader, partBytes: Readonly<Record<string, number>>, parts: Record<string, unknown>): CheckpointSummary {
  return {
    file,
    tick: h.tick,
    tS: h.periodUs === undefined ? undefined : Math.round(h.tick * h.periodUs) / 1e6,
    writtenAt: new Date(h.writtenAtMs).toISOString(),
    configHash: h.configHash,
    formatVersion: h.stateFormat,
    fileFormat: h.format,
    bytes,
    parts: h.parts.map((name) => ({ name, bytes: partBytes[name] ?? 0, counts: countsOf(parts[name]) })),
  };
}

function countsOf(v: unknown): Record<string, number> {
  if (Array.isArray(v)) return { items: v.length };
  const out: Record<string, number> = {};
  if (v === null || typeof v !== 'object') return out;
  for (const [k, m] of Object.entries(v)) {
    if (Array.isArray(m)) out[k] = m.length;
    else if (m !== null && typeof m === 'object') out[k] = Object.keys(m).length;
  }
  return out;
}
