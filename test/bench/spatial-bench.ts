/**
 * The spatial figures (issue "space", Speed): 10,000 entities doing random walks among 200 polygon
 * zones (rects, concave stars and L shapes, a quarter nested, a fifth with heights) on a 500 m x
 * 500 m site, at 10 Hz. Per tick, for every entity: the zones containing it and the per-zone counts
 * (Int32Array). Prints mean and p99 ms per tick over 600 ticks after a warm-up, with the ZoneIndex
 * and with every zone tested (the brute force it replaces). Only membership and counting are
 * timed; moving the entities is not. Asserts nothing beyond both ways agreeing. `--json`: also
 * one JSON line of figures, last; BENCH_QUICK=1: fewer ticks.
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/test/bench/spatial-bench.js
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { Prng } from '../../src/sensors/mock/prng.js';
import { EntityTracker } from '../../src/spatial/entity-tracker.js';
import { ZoneGeometry } from '../../src/spatial/zone-geometry.js';
import { ZoneIndex } from '../../src/spatial/zone-index.js';
import { randomZones } from '../unit/spatial/random-zones.js';
import { emitFigures, type Figure, figureGroup, sized } from './bench-figure.js';

const SITE_M = 500;
const ZONES = 200;
const ENTITIES = 10_000;
const TICK_S = 0.1;
const WARMUP_TICKS = sized(200, 50);
const TICKS = sized(600, 100);
/** Walking pace: each step is up to 1.5 m/s in x and in y. */
const SPEED_M_S = 1.5;

/** Entity positions; a third carry a height (tags worn at chest height, forklift forks). */
class Walkers {
  readonly xs = new Float64Array(ENTITIES);
  readonly ys = new Float64Array(ENTITIES);
  readonly zs = new Float64Array(ENTITIES);
  private readonly rng: Prng;

  constructor(seed: number) {
    this.rng = new Prng(seed);
    for (let i = 0; i < ENTITIES; i++) {
      this.xs[i] = this.rng.next() * SITE_M;
      this.ys[i] = this.rng.next() * SITE_M;
      this.zs[i] = i % 3 === 0 ? this.rng.next() * 3 : NaN;
    }
  }

  step(): void {
    const d = SPEED_M_S * TICK_S * 2;
    for (let i = 0; i < ENTITIES; i++) {
      this.xs[i] = bounce((this.xs[i] as number) + (this.rng.next() - 0.5) * d);
      this.ys[i] = bounce((this.ys[i] as number) + (this.rng.next() - 0.5) * d);
    }
  }
}

/** Keeps a walker on the site by reflecting it off the fence. */
function bounce(v: number): number {
  return v < 0 ? -v : v > SITE_M ? 2 * SITE_M - v : v;
}

type TickFn = (w: Walkers, counts: Int32Array) => void;

function indexedTick(index: ZoneIndex): TickFn {
  const out = new Int32Array(index.maxCandidates);
  return (w, counts) => {
    counts.fill(0);
    const { xs, ys, zs } = w;
    for (let i = 0; i < ENTITIES; i++) {
      const n = index.query(xs[i] as number, ys[i] as number, zs[i] as number, out);
      for (let k = 0; k < n; k++) (counts[out[k] as number] as number)++;
    }
  };
}

function bruteForceTick(zones: readonly ZoneGeometry[]): TickFn {
  return (w, counts) => {
    counts.fill(0);
    const { xs, ys, zs } = w;
    for (let i = 0; i < ENTITIES; i++) {
      const [x, y, z] = [xs[i] as number, ys[i] as number, zs[i] as number];
      for (let k = 0; k < zones.length; k++) if ((zones[k] as ZoneGeometry).contains(x, y, z)) (counts[k] as number)++;
    }
  };
}

interface Figures {
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Sum of counts over all measured ticks, to check that both ways agree. */
  readonly checksum: number;
  /** Mean zones per entity. */
  readonly zonesPerEntity: number;
}

/** Runs the same walk (same seed) through `tick`, timing membership and counting only. */
function measure(tick: TickFn): Figures {
  const walkers = new Walkers(1);
  const counts = new Int32Array(ZONES);
  const times: number[] = [];
  let checksum = 0;
  for (let t = 0; t < WARMUP_TICKS + TICKS; t++) {
    walkers.step();
    const t0 = performance.now();
    tick(walkers, counts);
    const ms = performance.now() - t0;
    if (t < WARMUP_TICKS) continue;
    times.push(ms);
    for (let k = 0; k < ZONES; k++) checksum += counts[k] as number;
  }
  times.sort((a, b) => a - b);
  return {
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    p99Ms: times[Math.ceil(times.length * 0.99) - 1] ?? NaN,
    maxMs: times[times.length - 1] ?? NaN,
    checksum,
    zonesPerEntity: checksum / (TICKS * ENTITIES),
  };
}

/**
 * The whole entity pipeline of a tick as the runtime runs it: EntityTracker.update with 10,000
 * records (positions, zone membership through the index, counts, entered/exited lists).
 */
function trackerTick(index: ZoneIndex): TickFn {
  const tracker = new EntityTracker(index, 3);
  const records = Array.from({ length: ENTITIES }, (_, i) => ({ id: `e${i}`, x: 0, y: 0, z: NaN as number | undefined }));
  let tick = 0;
  return (w, counts) => {
    for (let i = 0; i < ENTITIES; i++) {
      const r = records[i] as { x: number; y: number; z: number | undefined };
      r.x = w.xs[i] as number;
      r.y = w.ys[i] as number;
      const z = w.zs[i] as number;
      r.z = z === z ? z : undefined;
    }
    tracker.update(tick++, records);
    for (let k = 0; k < ZONES; k++) counts[k] = tracker.countIn(k);
  };
}

const show = (f: Figures): string => `mean ${f.meanMs.toFixed(3)} ms, p99 ${f.p99Ms.toFixed(3)} ms, max ${f.maxMs.toFixed(3)} ms per tick`;

export function main(): void {
  const layout = randomZones(42, ZONES, SITE_M);
  const zones = layout.map((z) => new ZoneGeometry(z));
  const t0 = performance.now();
  const index = new ZoneIndex(zones);
  const buildMs = performance.now() - t0;
  const kinds = { rect: zones.filter((z) => z.isBox).length, nested: layout.filter((z) => z.parent !== undefined).length, heights: zones.filter((z) => z.hasHeight).length };
  console.log(
    `${ENTITIES} entities on random walks, ${ZONES} zones (${kinds.rect} rects, ${ZONES - kinds.rect} concave polygons; ${kinds.nested} nested, ${kinds.heights} with heights) on ${SITE_M} m x ${SITE_M} m, ${1 / TICK_S} Hz, ${TICKS} ticks after ${WARMUP_TICKS} of warm-up:`,
  );
  console.log(
    `  index: flatbush + ${index.columns} x ${index.rows} grid of ${index.cellSize.toFixed(2)} m cells, at most ${index.maxCandidates} candidates per cell, built in ${buildMs.toFixed(1)} ms`,
  );
  const indexed = measure(indexedTick(index));
  console.log(`  ZoneIndex:   ${show(indexed)} (${indexed.zonesPerEntity.toFixed(3)} zones per entity)`);
  const tracked = measure(trackerTick(index));
  console.log(`  EntityTracker.update (membership, counts, entered/exited, as the runtime runs it): ${show(tracked)}`);
  const brute = measure(bruteForceTick(zones));
  console.log(`  brute force: ${show(brute)} (every zone tested, box first)`);
  console.log(`  speed-up ${(brute.meanMs / indexed.meanMs).toFixed(1)}x; counts ${indexed.checksum === brute.checksum ? 'agree' : `DIFFER (${indexed.checksum} vs ${brute.checksum})`}`);
  const figures: Figure[] = [];
  const add = figureGroup(`spatial (${ENTITIES.toLocaleString('en-US')} entities, ${ZONES} zones, ${TICKS} ticks)`, figures);
  const target = { op: '<=', value: 2 } as const;
  add({ id: 'spatial.tracker.mean', name: 'EntityTracker.update, mean', value: tracked.meanMs, unit: 'ms/tick', target });
  add({ id: 'spatial.tracker.p99', name: 'EntityTracker.update, p99', value: tracked.p99Ms, unit: 'ms/tick', target });
  add({ id: 'spatial.index.mean', name: 'ZoneIndex membership and counts, mean', value: indexed.meanMs, unit: 'ms/tick' });
  add({ id: 'spatial.brute.mean', name: 'every zone tested (brute force), mean', value: brute.meanMs, unit: 'ms/tick' });
  add({ id: 'spatial.speedup', name: 'ZoneIndex speed-up over brute force', value: brute.meanMs / indexed.meanMs, unit: 'x', ...(indexed.checksum === brute.checksum ? {} : { failed: 'counts differ' }) });
  emitFigures(figures);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
