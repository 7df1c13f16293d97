import type { ZoneLookup } from './entity-tracker.js';
import { EntityZoneEvents } from './entity-zone-events.js';

const NO_ZONES = new Int32Array(0);
const NO_TICKS = new Float64Array(0);

/**
 * Which zones each entity slot is in and since which tick, the per-zone counts, and this tick's
 * enter/exit events, kept consistent with one another.
 *
 * Per slot, membership is a sorted Int32Array of zone indices with a parallel Float64Array of the
 * ticks the entity entered them: entities are in a few zones at once, so this is smaller than a
 * bitset per entity and gives the entering tick `dwell` needs. Moving to as many zones as before
 * rewrites the arrays in place, so the steady state allocates nothing.
 */
export class EntityMemberships {
  readonly counts: Int32Array;
  readonly events: EntityZoneEvents;
  private zonesOf: Int32Array[] = [];
  private sinceOf: Float64Array[] = [];
  /** Scratch for one entity's new zones and entering ticks. */
  private readonly hits: Int32Array;
  private readonly hitSince: Float64Array;

  constructor(private readonly lookup: ZoneLookup) {
    this.counts = new Int32Array(lookup.size);
    this.events = new EntityZoneEvents(lookup.size);
    this.hits = new Int32Array(lookup.size);
    this.hitSince = new Float64Array(lookup.size);
  }

  /** Starts a slot (new or reused) with no zones and no events. */
  reset(slot: number): void {
    this.zonesOf[slot] = NO_ZONES;
    this.sinceOf[slot] = NO_TICKS;
  }

  /** Forgets every slot and count; events are left to the caller. */
  resetAll(): void {
    this.zonesOf = [];
    this.sinceOf = [];
    this.counts.fill(0);
  }

  /** Moves the entity in `slot` to (x, y, z) at `tick`: updates its zones, the counts and the events. */
  place(slot: number, id: string, x: number, y: number, z: number, tick: number): void {
    const hits = this.hits;
    const n = Math.min(this.lookup.query(x, y, z, hits), hits.length);
    const old = this.zonesOf[slot] as Int32Array;
    if (n === old.length) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = hits[i] === old[i];
      if (same) return;
    }
    const oldSince = this.sinceOf[slot] as Float64Array;
    const since = this.hitSince;
    // Merge walk over two ascending lists: kept zones keep their entering tick.
    let i = 0;
    for (let j = 0; j < n; j++) {
      const zone = hits[j] as number;
      while (i < old.length && (old[i] as number) < zone) this.leave(old[i++] as number, id);
      if (i < old.length && old[i] === zone) {
        since[j] = oldSince[i++] as number;
      } else {
        since[j] = tick;
        (this.counts[zone] as number)++;
        this.events.addEntered(zone, id);
      }
    }
    while (i < old.length) this.leave(old[i++] as number, id);
    if (n === old.length) {
      // n > 0 here (equal empty lists returned above), so `old` is the slot's own array.
      for (let j = 0; j < n; j++) {
        old[j] = hits[j] as number;
        oldSince[j] = since[j] as number;
      }
    } else {
      this.zonesOf[slot] = n === 0 ? NO_ZONES : hits.slice(0, n);
      this.sinceOf[slot] = n === 0 ? NO_TICKS : since.slice(0, n);
    }
  }

  /** The entity in `slot` leaves all its zones (an exit event for each): it expired. */
  leaveAll(slot: number, id: string): void {
    for (const zone of this.zonesOf[slot] as Int32Array) this.leave(zone, id);
    this.reset(slot);
  }

  /** The tick the entity in `slot` entered `zone`, or NaN when it is not in it. */
  enteredTick(slot: number, zone: number): number {
    const zones = this.zonesOf[slot] as Int32Array;
    // Lists are short and ascending: a linear scan with early exit beats a binary search.
    for (let i = 0; i < zones.length; i++) {
      const z = zones[i] as number;
      if (z === zone) return (this.sinceOf[slot] as Float64Array)[i] as number;
      if (z > zone) break;
    }
    return NaN;
  }

  /** `[zone, entered tick]` pairs of a slot, zones ascending (for snapshots). */
  list(slot: number): Array<[number, number]> {
    const since = this.sinceOf[slot] as Float64Array;
    return Array.from(this.zonesOf[slot] as Int32Array, (zone, i): [number, number] => [zone, since[i] as number]);
  }

  /** Sets a slot's membership from a snapshot (validated: zones ascending and in range), counting it. */
  restore(slot: number, pairs: ReadonlyArray<readonly [number, number]>): void {
    this.zonesOf[slot] = Int32Array.from(pairs, (p) => p[0]);
    this.sinceOf[slot] = Float64Array.from(pairs, (p) => p[1]);
    for (const [zone] of pairs) (this.counts[zone] as number)++;
  }

  private leave(zone: number, id: string): void {
    (this.counts[zone] as number)--;
    this.events.addExited(zone, id);
  }
}
