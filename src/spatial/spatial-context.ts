import type { DeploymentModel } from '../config/model.js';
import { ReadStatus } from '../core/frame.js';
import type { SensorSlots } from '../sensors/sensor-runtime.js';
import { EntityTracker } from './entity-tracker.js';
import { ZoneGeometry } from './zone-geometry.js';
import { ZoneIndex } from './zone-index.js';

/** One `entities` sensor and the tracker of the things it reports. */
export interface EntityFeed {
  readonly sensorId: string;
  readonly slot: number;
  readonly tracker: EntityTracker;
}

/**
 * The spatial state of a runtime: the static zone index and one entity tracker per `entities`
 * sensor. Pure and deterministic like the rest of the core; `update` runs once per tick, after
 * the sensors and before any pattern or condition.
 */
export class SpatialContext {
  readonly zoneIds: readonly string[];
  readonly index: ZoneIndex;
  readonly feeds: readonly EntityFeed[];

  constructor(model: DeploymentModel, periodUs: number, staleDefaultUs: (sensorId: string) => number) {
    this.zoneIds = model.zones.map((z) => z.id);
    this.index = new ZoneIndex(model.zones.map((z) => new ZoneGeometry(z)));
    this.feeds = model.sensors
      .map((s, slot) => ({ s, slot }))
      .filter(({ s }) => s.kind === 'entities')
      .map(({ s, slot }) => ({
        sensorId: s.id,
        slot,
        // An entity not reported for longer than the sensor's stale_after has left.
        tracker: new EntityTracker(this.index, (s.staleAfterUs ?? staleDefaultUs(s.id)) / periodUs),
      }));
  }

  zoneIndexOf(id: string): number {
    return this.zoneIds.indexOf(id);
  }

  /**
   * Feeds each tracker this tick's records, or nothing when its sensor was not read (`status` is
   * the frame's ReadStatus per sensor), so entities age and expire.
   */
  update(tick: number, slots: SensorSlots, status: Uint8Array): void {
    for (let i = 0; i < this.feeds.length; i++) {
      const f = this.feeds[i] as EntityFeed;
      f.tracker.update(tick, status[f.slot] === ReadStatus.Ok ? slots.ref[f.slot] : undefined);
    }
  }

  countIn(zone: number): number {
    let n = 0;
    for (let i = 0; i < this.feeds.length; i++) n += (this.feeds[i] as EntityFeed).tracker.countIn(zone);
    return n;
  }

  /** Ids that entered (or exited) `zone` this tick, over every feed, sorted. */
  crossed(zone: number, entering: boolean): string[] {
    const ids: string[] = [];
    for (const f of this.feeds) ids.push(...(entering ? f.tracker.entered(zone) : f.tracker.exited(zone)));
    return ids.sort();
  }

  /** How many entities crossed into (out of) `zone` this tick, over every feed; allocates nothing. */
  crossedCount(zone: number, entering: boolean): number {
    let n = 0;
    for (let i = 0; i < this.feeds.length; i++) {
      const t = (this.feeds[i] as EntityFeed).tracker;
      n += (entering ? t.entered(zone) : t.exited(zone)).length;
    }
    return n;
  }

  /** The feed tracking entity `id` (the first that knows it). */
  trackerOf(id: string): EntityTracker | undefined {
    for (let i = 0; i < this.feeds.length; i++) {
      const t = (this.feeds[i] as EntityFeed).tracker;
      if (t.position(id) !== undefined) return t;
    }
    return undefined;
  }

  snapshot(): unknown {
    return this.feeds.map((f) => f.tracker.snapshot());
  }

  restore(state: unknown): void {
    if (!Array.isArray(state)) return;
    state.forEach((s: unknown, i) => this.feeds[i]?.tracker.restore(s));
  }
}
