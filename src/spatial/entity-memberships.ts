import type { ZoneLookup } from './entity-tracker.js';
import { EntityZoneEvents } from './entity-zone-events.js';

const NO_ZONES = new Int32Array(0);
const NO_TICKS = new Float64Array(0);
const INITIAL_SLOTS = 16;

/** A position to place an entity at (the tracker's parsed record): passed whole so no double is boxed per call. */
export interface EntityPlace {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** NaN for a 2-D position. */
  readonly z: number;
}

/**
 * Which zones each entity slot is in and since which tick, the per-zone counts, and this tick's
 * enter/exit events, kept consistent with one another.
 *
 * Per slot, membership is a sorted Int32Array of zone indices with a parallel Float64Array of the
 * ticks the entity entered them, the first `countOf[slot]` entries in use: entities are in a few
 * zones at once, so this is smaller than a bitset per entity and gives the entering tick `dwell`
 * needs. The arrays are rewritten in place and replaced only to grow, so the steady state
 * allocates nothing.
 *
 * When the lookup offers `regionAt` and `clearance` (a `ZoneIndex` does), each slot also remembers
 * where its zones were last looked up: a move that stays in that region, within the clearance of
 * that point and at the same z cannot change the answer, so it costs no query at all. Most
 * entities on most ticks take that path.
 */
export class EntityMemberships {
  readonly counts: Int32Array;
  readonly events: EntityZoneEvents;
  private zonesOf: Int32Array[] = [];
  private sinceOf: Float64Array[] = [];
  private countOf = new Int32Array(INITIAL_SLOTS);
  /** Where each slot's zones were last queried (region, point, squared clearance); a negative clearance means "query next time". */
  private regionOf = new Int32Array(INITIAL_SLOTS);
  private anchorX = new Float64Array(INITIAL_SLOTS);
  private anchorY = new Float64Array(INITIAL_SLOTS);
  private anchorZ = new Float64Array(INITIAL_SLOTS);
  private clear2Of = new Float64Array(INITIAL_SLOTS).fill(-1);
  private readonly regions: Required<Pick<ZoneLookup, 'regionAt' | 'clearance'>> | undefined;
  /** Scratch for one entity's new zones and entering ticks. */
  private readonly hits: Int32Array;
  private readonly hitSince: Float64Array;

  constructor(private readonly lookup: ZoneLookup) {
    this.counts = new Int32Array(lookup.size);
    this.events = new EntityZoneEvents(lookup.size);
    this.hits = new Int32Array(lookup.size);
    this.hitSince = new Float64Array(lookup.size);
    const { regionAt, clearance } = lookup;
    this.regions = regionAt !== undefined && clearance !== undefined ? (lookup as Required<ZoneLookup>) : undefined;
  }

  /** Starts a slot (new or reused) with no zones and no events. */
  reset(slot: number): void {
    if (slot >= this.countOf.length) this.grow(Math.max(slot + 1, this.countOf.length * 2));
    this.zonesOf[slot] ??= NO_ZONES;
    this.sinceOf[slot] ??= NO_TICKS;
    this.countOf[slot] = 0;
    this.clear2Of[slot] = -1;
  }

  /** Forgets every slot and count; events are left to the caller. */
  resetAll(): void {
    this.zonesOf = [];
    this.sinceOf = [];
    this.countOf.fill(0);
    this.clear2Of.fill(-1);
    this.counts.fill(0);
  }

  /** Moves the entity in `slot` to `p` at `tick`: updates its zones, the counts and the events. */
  place(slot: number, p: EntityPlace, tick: number): void {
    const { x, y, z } = p;
    const regions = this.regions;
    let region = 0;
    if (regions !== undefined) {
      region = regions.regionAt(x, y);
      const dx = x - (this.anchorX[slot] as number);
      const dy = y - (this.anchorY[slot] as number);
      if (region === this.regionOf[slot] && dx * dx + dy * dy < (this.clear2Of[slot] as number) && sameCoord(z, this.anchorZ[slot] as number)) return;
    }
    const hits = this.hits;
    const n = Math.min(this.lookup.query(x, y, z, hits), hits.length);
    if (regions !== undefined) {
      this.regionOf[slot] = region;
      this.anchorX[slot] = x;
      this.anchorY[slot] = y;
      this.anchorZ[slot] = z;
      const r = regions.clearance(x, y);
      this.clear2Of[slot] = r * r;
    }
    this.apply(slot, p.id, n, tick);
  }

  /** The entity in `slot` leaves all its zones (an exit event for each): it expired. */
  leaveAll(slot: number, id: string): void {
    const zones = this.zonesOf[slot] as Int32Array;
    const n = this.countOf[slot] as number;
    for (let i = 0; i < n; i++) this.leave(zones[i] as number, id);
    this.reset(slot);
  }

  /** The tick the entity in `slot` entered `zone`, or NaN when it is not in it. */
  enteredTick(slot: number, zone: number): number {
    const zones = this.zonesOf[slot] as Int32Array;
    const n = this.countOf[slot] as number;
    // Lists are short and ascending: a linear scan with early exit beats a binary search.
    for (let i = 0; i < n; i++) {
      const z = zones[i] as number;
      if (z === zone) return (this.sinceOf[slot] as Float64Array)[i] as number;
      if (z > zone) break;
    }
    return NaN;
  }

  /** `[zone, entered tick]` pairs of a slot, zones ascending (for snapshots). */
  list(slot: number): Array<[number, number]> {
    const since = this.sinceOf[slot] as Float64Array;
    const zones = (this.zonesOf[slot] as Int32Array).subarray(0, this.countOf[slot] as number);
    return Array.from(zones, (zone, i): [number, number] => [zone, since[i] as number]);
  }

  /** Sets a slot's membership from a snapshot (validated: zones ascending and in range), counting it. */
  restore(slot: number, pairs: ReadonlyArray<readonly [number, number]>): void {
    this.zonesOf[slot] = Int32Array.from(pairs, (p) => p[0]);
    this.sinceOf[slot] = Float64Array.from(pairs, (p) => p[1]);
    this.countOf[slot] = pairs.length;
    this.clear2Of[slot] = -1;
    for (const [zone] of pairs) (this.counts[zone] as number)++;
  }

  /** Makes `hits[0..n)` the zones of `slot`, with the counts and events of the difference. */
  private apply(slot: number, id: string, n: number, tick: number): void {
    const hits = this.hits;
    let old = this.zonesOf[slot] as Int32Array;
    const m = this.countOf[slot] as number;
    if (n === m) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = hits[i] === old[i];
      if (same) return;
    }
    let oldSince = this.sinceOf[slot] as Float64Array;
    const since = this.hitSince;
    // Merge walk over two ascending lists: kept zones keep their entering tick.
    let i = 0;
    for (let j = 0; j < n; j++) {
      const zone = hits[j] as number;
      while (i < m && (old[i] as number) < zone) this.leave(old[i++] as number, id);
      if (i < m && old[i] === zone) {
        since[j] = oldSince[i++] as number;
      } else {
        since[j] = tick;
        (this.counts[zone] as number)++;
        this.events.addEntered(zone, id);
      }
    }
    while (i < m) this.leave(old[i++] as number, id);
    if (n > old.length) {
      // Grown only, never shrunk: a slot's capacity settles at the most zones it was in at once.
      old = this.zonesOf[slot] = new Int32Array(Math.max(n, 4));
      oldSince = this.sinceOf[slot] = new Float64Array(old.length);
    }
    for (let j = 0; j < n; j++) {
      old[j] = hits[j] as number;
      oldSince[j] = since[j] as number;
    }
    this.countOf[slot] = n;
  }

  private leave(zone: number, id: string): void {
    (this.counts[zone] as number)--;
    this.events.addExited(zone, id);
  }

  private grow(capacity: number): void {
    this.countOf = grown(new Int32Array(capacity), this.countOf);
    this.regionOf = grown(new Int32Array(capacity), this.regionOf);
    this.anchorX = grown(new Float64Array(capacity), this.anchorX);
    this.anchorY = grown(new Float64Array(capacity), this.anchorY);
    this.anchorZ = grown(new Float64Array(capacity), this.anchorZ);
    this.clear2Of = grown(new Float64Array(capacity).fill(-1), this.clear2Of);
  }
}

/** `to` with `from` copied into its start. */
function grown<A extends Int32Array | Float64Array>(to: A, from: A): A {
  to.set(from);
  return to;
}

/** Equal coordinates, NaN equal to NaN (a 2-D entity staying 2-D has not moved). */
export function sameCoord(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}
