/**
 * How much already-checkpointed journal to keep for `spatia replay`. A segment is a candidate for
 * deletion once a checkpoint covers it (every record in it is at or before the checkpoint's
 * tick); of those, the ones that ended less than `durationUs` before the checkpoint are kept, as
 * long as together they stay within `maxBytes`, newest first. Segments a checkpoint does not
 * cover are never deleted, whatever their size.
 */
export interface JournalRetention {
  /** Keep covered segments that ended within this long before the checkpoint. Default 1 h. */
  readonly durationUs?: number;
  /** But never more than this many bytes of covered segments. Default 64 MiB. */
  readonly maxBytes?: number;
}

export const DEFAULT_RETENTION_US = 3600e6;
export const DEFAULT_RETENTION_BYTES = 64 * 1024 * 1024;

/** What retention needs to know of a segment. */
export interface RetainedSegment {
  readonly firstTick: number;
  readonly bytes: number;
}

/**
 * The segments (of `segments`, ascending by first tick, the last one being written) that may be
 * deleted once a checkpoint at `coveredTick` is durable. Returned in ascending order.
 */
export function segmentsToDelete<T extends RetainedSegment>(segments: readonly T[], coveredTick: number, periodUs: number, retention: JournalRetention = {}): T[] {
  const keepTicks = (retention.durationUs ?? DEFAULT_RETENTION_US) / periodUs;
  const maxBytes = retention.maxBytes ?? DEFAULT_RETENTION_BYTES;
  const out: T[] = [];
  let keptBytes = 0;
  // Newest first, so the bytes budget goes to the most recent input.
  for (let i = segments.length - 2; i >= 0; i--) {
    const seg = segments[i] as T;
    const next = segments[i + 1] as T;
    // Its records are all before the next segment's first tick.
    const lastTick = next.firstTick - 1;
    if (lastTick > coveredTick) continue;
    const recent = lastTick > coveredTick - keepTicks;
    if (recent && keptBytes + seg.bytes <= maxBytes) {
      keptBytes += seg.bytes;
      continue;
    }
    // Once one segment falls outside, all older ones do too: no holes in what is kept.
    keptBytes = Infinity;
    out.push(seg);
  }
  return out.reverse();
}
