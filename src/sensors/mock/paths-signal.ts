import type { JsonValue } from '../../config/model.js';
import type { Frame, ReadStatus } from '../../core/frame.js';
import { holdIndex } from './hold-index.js';
import { type SampleTime, sampleTime } from './sample-time.js';
import type { Signal } from './signal.js';
import { writeValue } from './write-value.js';

/** One entity's track, in column form so a lookup is a binary search over plain numbers. */
interface Track {
  readonly id: string;
  readonly timesUs: Float64Array;
  readonly xs: Float64Array;
  readonly ys: Float64Array;
}

/**
 * `paths: {ID: [[t, x, y], ...]}` (an `entities` sensor in the sim): the value at `tUs` is the
 * array of entity records `{id, x, y}` of every entity whose track covers `tUs`, from its first to
 * its last waypoint inclusive, positioned by linear interpolation between the waypoints around
 * `tUs` (exactly the waypoint's coordinates at a waypoint's time). An entity outside its track's
 * time span is absent, which is how a sim entity stops reporting and, after `stale_after`,
 * expires. Records are sorted by id (code-unit order) so the log never depends on key order.
 * Stateless (binary search per entity per call); every call returns fresh objects, so a caller
 * may keep a value.
 *
 * @throws Error when a track is empty, a number is not finite, or a track's times are not
 *   strictly increasing (two waypoints at one instant would make the position ambiguous).
 */
export class PathsSignal implements Signal {
  private readonly tracks: Track[];

  constructor(paths: Readonly<Record<string, ReadonlyArray<readonly [number, number, number]>>>) {
    this.tracks = Object.keys(paths)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((id) => buildTrack(id, paths[id] ?? []));
  }

  valueAt(tUs: number): JsonValue {
    const out: JsonValue[] = [];
    const at = sampleTime(tUs);
    for (const track of this.tracks) {
      const { timesUs, xs, ys } = track;
      const last = timesUs.length - 1;
      if (!(tUs >= (timesUs[0] as number) && tUs <= (timesUs[last] as number))) continue;
      const i = holdIndex(timesUs, at);
      const t0 = timesUs[i] as number;
      const x0 = xs[i] as number;
      const y0 = ys[i] as number;
      if (tUs === t0 || i === last) {
        out.push({ id: track.id, x: x0, y: y0 });
        continue;
      }
      const f = (tUs - t0) / ((timesUs[i + 1] as number) - t0);
      out.push({ id: track.id, x: x0 + ((xs[i + 1] as number) - x0) * f, y: y0 + ((ys[i + 1] as number) - y0) * f });
    }
    return out;
  }

  /**
   * Allocates, unlike the other signals: the entity records are the reading itself, fresh on
   * every call so that whoever receives them may keep them.
   */
  writeTo(at: SampleTime, frame: Frame, index: number): ReadStatus {
    return writeValue(this.valueAt(at[0] as number), frame, index);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}

function buildTrack(id: string, points: ReadonlyArray<readonly [number, number, number]>): Track {
  if (points.length === 0) throw new Error(`paths.${id}: a path needs at least one waypoint [t, x, y]`);
  const timesUs = new Float64Array(points.length);
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  points.forEach(([tUs, x, y], i) => {
    if (!Number.isFinite(tUs) || !Number.isFinite(x) || !Number.isFinite(y)) {
      throw new Error(`paths.${id}[${i}]: t, x and y must be finite numbers, got [${tUs}, ${x}, ${y}]`);
    }
    const prev = i > 0 ? (timesUs[i - 1] as number) : -Infinity;
    if (tUs <= prev) {
      throw new Error(`paths.${id}: waypoint times must be strictly increasing: [${i}] at ${tUs} us is not after [${i - 1}] at ${prev} us`);
    }
    timesUs[i] = tUs;
    xs[i] = x;
    ys[i] = y;
  });
  return { id, timesUs, xs, ys };
}
