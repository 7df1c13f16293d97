import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sensors/mock/prng.js';
import { EntityTracker, type ZoneLookup } from '../../../src/spatial/entity-tracker.js';
import { ZoneGeometry } from '../../../src/spatial/zone-geometry.js';
import { ZoneIndex } from '../../../src/spatial/zone-index.js';
import { randomZones } from './random-zones.js';

const SITE = 500;
const zones = randomZones(42, 200, SITE).map((z) => new ZoneGeometry(z));
const index = new ZoneIndex(zones);

/** The same index seen only through `query`: a tracker over it can never skip a query. */
class QueryOnly implements ZoneLookup {
  readonly size = index.size;
  queries = 0;
  query(x: number, y: number, z: number, out: Int32Array): number {
    this.queries++;
    return index.query(x, y, z, out);
  }
}

/** `index` with its queries counted. */
class Counted implements ZoneLookup {
  readonly size = index.size;
  queries = 0;
  query(x: number, y: number, z: number, out: Int32Array): number {
    this.queries++;
    return index.query(x, y, z, out);
  }
  regionAt(x: number, y: number): number {
    return index.regionAt(x, y);
  }
  clearance(x: number, y: number): number {
    return index.clearance(x, y);
  }
}

/** Everything observable after a tick: counts, events and the snapshot (memberships, entering ticks). */
function observe(t: EntityTracker): unknown {
  const perZone = zones.map((_, z) => [t.countIn(z), t.entered(z), t.exited(z)]);
  return { perZone, snapshot: t.snapshot() };
}

interface Walker {
  id: string;
  x: number;
  y: number;
  z?: number;
}

/**
 * Walkers that hug zone outlines: each starts on a random zone's vertex or edge and takes steps
 * from a millimetre to a few metres, some switching between 2-D and heights, a few going silent.
 */
function walkers(seed: number, count: number): { records: Walker[]; step: (tick: number) => Walker[] } {
  const rng = new Prng(seed);
  const records: Walker[] = [];
  for (let i = 0; i < count; i++) {
    const g = zones[Math.floor(rng.next() * zones.length)] as ZoneGeometry;
    const k = Math.floor(rng.next() * (g.coords.length >> 1));
    const w: Walker = { id: `w${i}`, x: g.coords[2 * k] as number, y: g.coords[2 * k + 1] as number };
    if (i % 3 === 0) w.z = rng.next() * 6;
    records.push(w);
  }
  const step = (tick: number): Walker[] => {
    for (const w of records) {
      const scale = [0.001, 0.05, 0.3, 4][Math.floor(rng.next() * 4)] as number;
      w.x = Math.min(SITE + 5, Math.max(-5, w.x + (rng.next() - 0.5) * scale));
      w.y = Math.min(SITE + 5, Math.max(-5, w.y + (rng.next() - 0.5) * scale));
      if (rng.next() < 0.02) {
        if (w.z === undefined) w.z = rng.next() * 6;
        else delete w.z;
      }
    }
    // Every 7th walker is silent for a while now and then, so expiry and re-entry happen too.
    return records.filter((_, i) => i % 7 !== 0 || tick % 40 < 30);
  };
  return { records, step };
}

describe('EntityTracker over a ZoneIndex: skipping queries by region and clearance', () => {
  it('observes exactly what a tracker that queries every move observes', () => {
    const plain = new QueryOnly();
    const counted = new Counted();
    const reference = new EntityTracker(plain, 3);
    const fast = new EntityTracker(counted, 3);
    const { step } = walkers(11, 600);
    for (let tick = 0; tick < 250; tick++) {
      const batch = step(tick);
      reference.update(tick, batch);
      fast.update(tick, batch);
      expect(observe(fast), `tick ${tick}`).toEqual(observe(reference));
    }
    // The comparison means something only if queries were in fact skipped.
    expect(counted.queries).toBeLessThan(plain.queries * 0.8);
  });

  it('asks nothing for an entity pacing about inside a zone, and again after it leaves', () => {
    const counted = new Counted();
    const t = new EntityTracker(counted, 3);
    const big = zones.findIndex((g) => g.isBox && g.maxX - g.minX > 40 && g.maxY - g.minY > 40 && !g.hasHeight);
    const g = zones[big] as ZoneGeometry;
    const [cx, cy] = [(g.minX + g.maxX) / 2, (g.minY + g.maxY) / 2];
    t.update(0, [{ id: 'a', x: cx, y: cy }]);
    expect(counted.queries).toBe(1);
    for (let tick = 1; tick < 20; tick++) t.update(tick, [{ id: 'a', x: cx + (tick % 2) * 0.01, y: cy }]);
    expect(counted.queries).toBe(1);
    expect(t.inZone('a', big)).toBe(1);
    t.update(20, [{ id: 'a', x: g.maxX + 1, y: cy }]);
    expect(t.inZone('a', big)).toBe(0);
    expect(t.exited(big)).toEqual(['a']);
  });

  it('queries again when only z changes', () => {
    const counted = new Counted();
    const t = new EntityTracker(counted, 3);
    const tall = zones.findIndex((g) => g.hasHeight);
    const g = zones[tall] as ZoneGeometry;
    const [x, y] = [g.coords[0] as number, g.coords[1] as number];
    t.update(0, [{ id: 'h', x, y, z: g.zMin }]);
    expect(t.inZone('h', tall)).toBe(1);
    t.update(1, [{ id: 'h', x, y, z: g.zMax + 1 }]);
    expect(t.inZone('h', tall)).toBe(0);
    t.update(2, [{ id: 'h', x, y }]);
    expect(t.inZone('h', tall)).toBe(1);
  });
});
