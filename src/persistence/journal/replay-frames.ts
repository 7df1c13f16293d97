import { Frame, ReadStatus } from '../../core/frame.js';
import type { JournalRecord } from './journal-record.js';
import type { SegmentHeader } from './segment-format.js';

/**
 * Writes a record's entries into `frame`, as the sampler wrote them: status, and `num`/`obj` for
 * Ok, `error` for failures. Sensors without an entry are left as they are: clear the frame first
 * (`frame.clear()`) to get exactly the recorded tick. `map` translates recorded sensor indexes to
 * the frame's (see {@link sensorIndexMap}); entries it maps to -1, or beyond the frame, are dropped.
 */
export function applyRecord(record: JournalRecord, frame: Frame, map?: Int32Array): void {
  for (let k = 0; k < record.count; k++) {
    const recorded = record.index[k] as number;
    const i = map === undefined ? recorded : (map[recorded] ?? -1);
    if (i < 0 || i >= frame.size) continue;
    const status = record.status[k] as number;
    frame.status[i] = status;
    if (status === ReadStatus.Ok) {
      const obj = record.obj[k];
      frame.obj[i] = obj;
      if (obj === undefined) frame.num[i] = record.num[k] as number;
      frame.error[i] = undefined;
    } else {
      frame.error[i] = record.error[k];
    }
  }
}

/**
 * Index translation from the sensors a segment recorded (its header's ids) to a configuration's
 * sensors, by id: `map[recorded] = current index`, or -1 for a sensor the configuration no
 * longer has. Sensors new in the configuration simply never appear in recorded input.
 */
export function sensorIndexMap(recorded: readonly string[], current: readonly string[]): Int32Array {
  const at = new Map<string, number>();
  current.forEach((id, i) => at.set(id, i));
  return Int32Array.from(recorded, (id) => at.get(id) ?? -1);
}

/**
 * A `mapFor` for {@link replayFrames}: the index map of the segment the reader is in (its header's
 * sensor ids) to `current`, rebuilt only when the reader moves to a segment with other sensors.
 */
export function sensorMapper(reader: { readonly header: SegmentHeader | undefined }, current: readonly string[]): () => Int32Array | undefined {
  let ids: readonly string[] | undefined;
  let map: Int32Array | undefined;
  return () => {
    const recorded = reader.header?.sensors;
    if (recorded === undefined) return undefined;
    if (recorded !== ids && (ids === undefined || recorded.join('\n') !== ids.join('\n'))) map = sensorIndexMap(recorded, current);
    ids = recorded;
    return map;
  };
}

/** One tick of replayed input. `frame` is reused for every tick. */
export interface ReplayTick {
  readonly tick: number;
  readonly frame: Frame;
}

export interface ReplayFramesOptions {
  /** Number of sensors (the frame's size). */
  readonly size: number;
  /** First tick to yield. Default: the first record's tick. */
  readonly fromTick?: number;
  /** Last tick to yield (inclusive). Default: the last record's tick. */
  readonly toTick?: number;
  /** Recorded index -> frame index, per segment header (see sensorIndexMap). */
  readonly mapFor?: () => Int32Array | undefined;
}

/**
 * Every tick from `fromTick` on as a Frame, in order, with no tick skipped: ticks the journal has
 * no record for yield an empty frame (every status None), which is what the sampler produced
 * there (the writer skips ticks where nothing was read). Ends at the last record (or `toTick`).
 * Records before `fromTick` are ignored.
 */
export function* replayFrames(records: Iterable<JournalRecord>, opts: ReplayFramesOptions): Generator<ReplayTick, void, undefined> {
  const frame = new Frame(opts.size);
  const out = { tick: 0, frame };
  const toTick = opts.toTick ?? Infinity;
  let next = opts.fromTick;
  for (const rec of records) {
    if (next !== undefined && rec.tick < next) continue;
    if (next === undefined) next = rec.tick;
    const last = Math.min(rec.tick - 1, toTick);
    for (; next <= last; next++) {
      frame.clear();
      out.tick = next;
      yield out;
    }
    if (rec.tick > toTick) return;
    frame.clear();
    applyRecord(rec, frame, opts.mapFor?.());
    out.tick = rec.tick;
    next = rec.tick + 1;
    yield out;
  }
  if (next === undefined || toTick === Infinity) return;
  for (; next <= toTick; next++) {
    frame.clear();
    out.tick = next;
    yield out;
  }
}
