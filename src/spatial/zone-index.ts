import Flatbush from 'flatbush';
import { cellCover } from './cell-cover.js';
import { distanceToOutline } from './polygon.js';
import type { ZoneGeometry } from './zone-geometry.js';

/**
 * Relative margin of {@link ZoneIndex.clearance}: millions of times the rounding error of doubles,
 * so even UTM-sized coordinates (5e6 m) keep a margin of millimetres.
 */
const CLEARANCE_MARGIN = 1e-9;
/** Cells of the lookup grid at most; 2^18 cells cost 1 MB of offsets. */
const MAX_CELLS = 1 << 18;
/**
 * Cells per typical zone side: finer cells leave fewer cells that a zone's boundary crosses (the
 * only ones needing the full test), at the cost of a larger table.
 */
const CELLS_PER_ZONE_SIDE = 8;

/**
 * Which of a fixed set of zones contain a point, fast enough for every entity on every tick.
 *
 * Zones are static, so all the searching is done once at construction: flatbush indexes the zone
 * bounding boxes (grown by each zone's boundary tolerance), and a uniform grid over their union
 * records, for each cell, the zones that cover some of it: flatbush finds the zones whose box meets
 * the cell, and each is kept only if its outline does (see cellCover), marked when it covers the
 * whole cell. The lists are stored as CSR Int32Arrays (`cellStart[c]..cellStart[c + 1]` into
 * `cellZones`), sorted ascending, a whole-cell zone i stored as ~i (negative). A query is then a
 * cell lookup, a height test for whole-cell zones and an exact `contains` test for the zones whose
 * boundary crosses the cell: no tree walk, no callback and no allocation per point.
 *
 * Zone indices are positions in the array given to the constructor (declaration order for zones
 * built from the config), so ascending results are in declaration order.
 */
export class ZoneIndex {
  readonly zones: readonly ZoneGeometry[];
  /** How many zones: indices run 0 .. size - 1. An `out` this long is always enough. */
  readonly size: number;
  /** The longest candidate list of a cell: an `out` this long is never too short for `query`. */
  readonly maxCandidates: number;
  /** Grid cell side in metres, and the grid's size in cells. */
  readonly cellSize: number;
  readonly columns: number;
  readonly rows: number;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly invCell: number;
  private readonly cellStart: Int32Array;
  private readonly cellZones: Int32Array;
  /** Per cell, its {@link regionAt} answer. */
  private readonly cellRegion: Int32Array;

  /** `cellSize` overrides the size chosen from the zones (for tests and tuning). */
  constructor(zones: readonly ZoneGeometry[], opts: { readonly cellSize?: number } = {}) {
    this.zones = [...zones];
    this.size = zones.length;
    if (zones.length === 0) {
      // NaN bounds make every query miss before it reaches the grid.
      [this.minX, this.minY, this.maxX, this.maxY] = [NaN, NaN, NaN, NaN];
      [this.cellSize, this.invCell, this.columns, this.rows, this.maxCandidates] = [1, 1, 0, 0, 0];
      [this.cellStart, this.cellZones, this.cellRegion] = [new Int32Array(1), new Int32Array(0), new Int32Array(0)];
      return;
    }
    const tree = new Flatbush(zones.length);
    for (const z of zones) tree.add(z.minX - z.eps, z.minY - z.eps, z.maxX + z.eps, z.maxY + z.eps);
    tree.finish();
    [this.minX, this.minY, this.maxX, this.maxY] = [tree.minX, tree.minY, tree.maxX, tree.maxY];
    const width = this.maxX - this.minX;
    const height = this.maxY - this.minY;
    this.cellSize = opts.cellSize ?? chooseCellSize(zones, width, height);
    this.invCell = 1 / this.cellSize;
    this.columns = Math.max(1, Math.ceil(width * this.invCell));
    this.rows = Math.max(1, Math.ceil(height * this.invCell));
    const grid = fillGrid(tree, zones, this.minX, this.minY, this.cellSize, this.columns, this.rows);
    this.cellStart = grid.start;
    this.cellZones = grid.zones;
    this.maxCandidates = grid.longest;
    this.cellRegion = regionsOf(grid.start, grid.zones);
  }

  /**
   * Writes the indices of the zones containing (x, y, z) into `out`, ascending, and returns how
   * many it wrote. z is NaN for a 2-D point (see ZoneGeometry.contains for heights). An `out`
   * shorter than `maxCandidates` may truncate the result to its length. Allocates nothing.
   */
  query(x: number, y: number, z: number, out: Int32Array): number {
    const cell = this.cellAt(x, y);
    if (cell < 0) return 0;
    const end = this.cellStart[cell + 1] as number;
    const cap = out.length;
    let n = 0;
    for (let i = this.cellStart[cell] as number; i < end && n < cap; i++) {
      const v = this.cellZones[i] as number;
      if (v < 0) {
        if ((this.zones[~v] as ZoneGeometry).inHeight(z)) out[n++] = ~v;
      } else if ((this.zones[v] as ZoneGeometry).contains(x, y, z)) out[n++] = v;
    }
    return n;
  }

  /**
   * Names the part of the plane holding (x, y), for callers that skip queries (see ZoneLookup):
   * where a grid cell's zones all cover it whole, every cell with the same zones shares one region
   * (-1 for cells without zones and off the grid), so a point moving among them keeps its answer
   * for a given z; a cell that a zone's outline crosses is a region of its own, its cell index.
   */
  regionAt(x: number, y: number): number {
    const cell = this.cellAt(x, y);
    return cell < 0 ? -1 : (this.cellRegion[cell] as number);
  }

  /** The grid cell holding (x, y), or -1 off the grid (where no zone is). */
  private cellAt(x: number, y: number): number {
    // Written so that NaN coordinates fail the test too.
    if (!(x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY)) return -1;
    let cx = ((x - this.minX) * this.invCell) | 0;
    let cy = ((y - this.minY) * this.invCell) | 0;
    // The far edge of the box belongs to the last cell.
    if (cx >= this.columns) cx = this.columns - 1;
    if (cy >= this.rows) cy = this.rows - 1;
    return cy * this.columns + cx;
  }

  /**
   * How far a point may move from (x, y) without changing the answer of `query`: every (x', y')
   * with `regionAt(x', y') === regionAt(x, y)` less than clearance(x, y) from (x, y) gets the same
   * answer as (x, y) for every z. Infinity in a region of whole-cell zones (or none); 0 on or
   * near an outline. Allocates nothing.
   *
   * In a region of one cell, query tests the same candidates everywhere, and only the zones whose
   * outline passes near it can change their answer, only where the point comes within their
   * boundary tolerance of that outline (4 eps: the tolerance test near edge ends reaches a little
   * further than eps). The distance is kept short of that by a margin far above the rounding error
   * of coordinates of that size, so no float lands on the other side.
   */
  clearance(x: number, y: number): number {
    const cell = this.cellAt(x, y);
    if (cell < 0) return Infinity;
    const end = this.cellStart[cell + 1] as number;
    let r = Infinity;
    for (let i = this.cellStart[cell] as number; i < end; i++) {
      const v = this.cellZones[i] as number;
      if (v < 0) continue;
      const zone = this.zones[v] as ZoneGeometry;
      const d = distanceToOutline(zone.coords, x, y) - 4 * zone.eps;
      if (d < r) r = d;
    }
    if (r === Infinity) return r;
    r -= CLEARANCE_MARGIN * (1 + Math.abs(x) + Math.abs(y));
    return r > 0 ? r : 0;
  }

  /** The indices of the zones containing the point, ascending. Allocates: for load time. */
  zonesContainingPoint(x: number, y: number, z: number): number[] {
    const out = new Int32Array(this.maxCandidates);
    return Array.from(out.subarray(0, this.query(x, y, z, out)));
  }
}

/**
 * A quarter of the median zone side (the larger of its box's width and height), so a typical zone
 * spans a few cells and a cell's candidates are mostly zones whose box really holds the point; the
 * median rather than the mean so one site-wide zone does not coarsen the grid for all the others.
 * Never so small that the grid would pass MAX_CELLS.
 */
function chooseCellSize(zones: readonly ZoneGeometry[], width: number, height: number): number {
  const sides = zones.map((z) => Math.max(z.maxX - z.minX, z.maxY - z.minY)).sort((a, b) => a - b);
  const median = sides[sides.length >> 1] ?? 0;
  const floor = Math.sqrt((width * height) / MAX_CELLS);
  const size = Math.max(median / CELLS_PER_ZONE_SIDE, floor);
  // Zones without extent (possible only through the API) leave one cell over the whole box.
  return size > 0 ? size : Math.max(width, height, 1);
}

function fillGrid(
  tree: Flatbush,
  zones: readonly ZoneGeometry[],
  minX: number,
  minY: number,
  cellSize: number,
  columns: number,
  rows: number,
): { start: Int32Array; zones: Int32Array; longest: number } {
  const start = new Int32Array(columns * rows + 1);
  const lists: number[] = [];
  let longest = 0;
  // Cells are treated as slightly larger than they are so that rounding in the query's cell
  // arithmetic can never put a point in a cell whose table is wrong for it.
  const margin = cellSize * 1e-6;
  for (let cy = 0; cy < rows; cy++) {
    for (let cx = 0; cx < columns; cx++) {
      const [x0, y0] = [minX + cx * cellSize, minY + cy * cellSize];
      const [x1, y1] = [x0 + cellSize, y0 + cellSize];
      const found = tree.search(x0 - margin, y0 - margin, x1 + margin, y1 + margin).sort((a, b) => a - b);
      let count = 0;
      for (const i of found) {
        const cover = cellCover(zones[i] as ZoneGeometry, x0, y0, x1, y1, margin);
        if (cover === 'none') continue;
        lists.push(cover === 'full' ? ~i : i);
        count++;
      }
      longest = Math.max(longest, count);
      start[cy * columns + cx + 1] = lists.length;
    }
  }
  return { start, zones: Int32Array.from(lists), longest };
}

/**
 * The region of each cell (see ZoneIndex.regionAt): its own index when a zone's outline crosses it
 * (a partial entry), else a negative number shared by every such cell with the same zones, -1 for
 * none. Cells are visited in order, so the numbering is deterministic.
 */
function regionsOf(start: Int32Array, zones: Int32Array): Int32Array {
  const region = new Int32Array(start.length - 1);
  const byZones = new Map<string, number>([['', -1]]);
  for (let cell = 0; cell < region.length; cell++) {
    const list = zones.subarray(start[cell] as number, start[cell + 1] as number);
    if (list.some((v) => v >= 0)) {
      region[cell] = cell;
      continue;
    }
    const key = list.join(',');
    let r = byZones.get(key);
    if (r === undefined) byZones.set(key, (r = -1 - byZones.size));
    region[cell] = r;
  }
  return region;
}
