/**
 * The `occupancy_field` pattern (issue 3 item 4): a sensor whose value is a 2-D grid (pressure mat,
 * thermal array, lidar occupancy) placed in the site frame with an origin and a cell size.
 *
 * Row r, column c covers [x0 + c*size, x0 + (c+1)*size) × [y0 + r*size, y0 + (r+1)*size): row 0 is
 * at y = origin.y, column 0 at x = origin.x. A cell is occupied when its value >= threshold.
 */

/** Placement and threshold, fixed at load time. */
export interface OccupancyFieldOptions {
  readonly originX: number;
  readonly originY: number;
  /** Edge length of a (square) cell, metres. */
  readonly cellSizeM: number;
  /** A cell is occupied when its value >= threshold (in the sensor's unit). */
  readonly threshold: number;
}

/** One entry of {@link OccupancyField.hotspots}: the cell centre and its value. */
export interface Hotspot {
  readonly x: number;
  readonly y: number;
  readonly value: number;
}

/** Which cells of one grid shape have their centre inside one zone. */
interface ZoneMask {
  rows: number;
  cols: number;
  /** Cell indices (r * cols + c), ascending. */
  cells: Int32Array;
}

/**
 * Occupancy statistics over the latest grid.
 *
 * The outputs are a pure function of the latest grid, so `nextDue` is always Infinity; `update` is
 * O(cells) and meant to be called when the input value changes. Cell storage grows with the
 * largest grid seen and is reused, so steady-state updates allocate nothing.
 */
export class OccupancyField {
  private cells = new Float64Array(0);
  private rowCount = 0;
  private colCount = 0;
  private known = false;
  private occupied = 0;
  private topScratch = new Int32Array(0);
  private readonly masks = new Map<number, ZoneMask>();
  /** Why the latest value was rejected; undefined when it was valid or simply unknown. */
  error: string | undefined = undefined;

  constructor(private readonly options: OccupancyFieldOptions) {
    if (!(options.cellSizeM > 0) || !Number.isFinite(options.cellSizeM)) {
      throw new Error(`occupancy_field: cell size must be a positive number of metres, got ${options.cellSizeM}`);
    }
  }

  /** Rows and columns of the latest valid grid (0 while unknown). */
  get rows(): number {
    return this.known ? this.rowCount : 0;
  }

  get cols(): number {
    return this.known ? this.colCount : 0;
  }

  /** Whether the latest value was a valid grid. */
  get isKnown(): boolean {
    return this.known;
  }

  /**
   * Takes the sensor's new value. `undefined` (the sensor is unknown) makes the field unknown
   * without an error; anything that is not a non-empty rectangular array of finite numbers makes it
   * unknown and sets {@link error}, so a malformed payload shows up in health rather than as a
   * wrong percentage.
   */
  update(grid: unknown): void {
    this.known = false;
    this.occupied = 0;
    this.error = grid === undefined ? undefined : this.load(grid);
    if (grid !== undefined && this.error === undefined) this.known = true;
  }

  /** Validates and copies `grid` into `cells`; returns the problem, if any. */
  private load(grid: unknown): string | undefined {
    if (!Array.isArray(grid)) return 'grid is not an array of rows';
    const rows = grid.length;
    const first: unknown = grid[0];
    if (rows === 0 || !Array.isArray(first) || first.length === 0) {
      return rows === 0 || Array.isArray(first) ? 'grid has no cells' : 'row 0 is not an array';
    }
    const cols = first.length;
    if (this.cells.length < rows * cols) this.cells = new Float64Array(rows * cols);
    const threshold = this.options.threshold;
    let occupied = 0;
    for (let r = 0; r < rows; r++) {
      const row: unknown = grid[r];
      if (!Array.isArray(row)) return `row ${r} is not an array`;
      if (row.length !== cols) return `row ${r} has ${row.length} cells, expected ${cols} (the grid is not rectangular)`;
      for (let c = 0; c < cols; c++) {
        const v: unknown = row[c];
        if (typeof v !== 'number' || !Number.isFinite(v)) return `cell [${r}][${c}] is not a finite number`;
        this.cells[r * cols + c] = v;
        if (v >= threshold) occupied++;
      }
    }
    this.rowCount = rows;
    this.colCount = cols;
    this.occupied = occupied;
    return undefined;
  }

  /** Occupied cells / all cells * 100; NaN (unknown) while the grid is unknown. */
  get percent(): number {
    return this.known ? (this.occupied / (this.rowCount * this.colCount)) * 100 : NaN;
  }

  /** Number of occupied cells; NaN while the grid is unknown. */
  get occupiedCells(): number {
    return this.known ? this.occupied : NaN;
  }

  /**
   * Percentage of the cells whose centre lies in a zone that are occupied; NaN when the grid is
   * unknown or no cell centre lies in the zone.
   *
   * `key` identifies the zone (e.g. its index in the graph): the cell mask is computed once per
   * key and grid shape, so repeated calls only count. `zoneContains` is called only when the mask
   * is (re)built; placement is fixed per instance, so (key, shape) determines the mask.
   */
  percentIn(zoneContains: (x: number, y: number) => boolean, key: number): number {
    if (!this.known) return NaN;
    const mask = this.maskFor(zoneContains, key);
    const n = mask.cells.length;
    if (n === 0) return NaN;
    const threshold = this.options.threshold;
    let occupied = 0;
    for (let i = 0; i < n; i++) {
      if ((this.cells[mask.cells[i] ?? 0] ?? NaN) >= threshold) occupied++;
    }
    return (occupied / n) * 100;
  }

  private maskFor(zoneContains: (x: number, y: number) => boolean, key: number): ZoneMask {
    const rows = this.rowCount;
    const cols = this.colCount;
    const cached = this.masks.get(key);
    if (cached !== undefined && cached.rows === rows && cached.cols === cols) return cached;
    const inside: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (zoneContains(this.centreX(c), this.centreY(r))) inside.push(r * cols + c);
      }
    }
    const mask: ZoneMask = { rows, cols, cells: Int32Array.from(inside) };
    this.masks.set(key, mask);
    return mask;
  }

  private centreX(c: number): number {
    return this.options.originX + (c + 0.5) * this.options.cellSizeM;
  }

  private centreY(r: number): number {
    return this.options.originY + (r + 0.5) * this.options.cellSizeM;
  }

  /**
   * The `k` occupied cells with the highest values, highest first (ties: lower row, then lower
   * column), each as its centre and value. Fewer when fewer cells are occupied; `[]` for k <= 0;
   * undefined (unknown) while the grid is unknown. `k` is rounded down.
   */
  hotspots(k: number): Hotspot[] | undefined {
    if (!this.known) return undefined;
    const want = Math.min(Math.floor(k), this.occupied);
    if (!(want > 0)) return [];
    if (this.topScratch.length < want) this.topScratch = new Int32Array(want);
    const top = this.topScratch;
    const cells = this.cells;
    const threshold = this.options.threshold;
    const total = this.rowCount * this.colCount;
    let m = 0;
    // Insertion into a sorted top-k: O(cells * k), no sort of the whole grid. Cells are visited in
    // index order, so a later cell never beats an earlier one of equal value: ties stay in
    // row-then-column order.
    for (let i = 0; i < total; i++) {
      const v = cells[i] ?? NaN;
      if (!(v >= threshold)) continue;
      if (m === want && !(v > (cells[top[m - 1] ?? 0] ?? NaN))) continue;
      let j = m < want ? m++ : m - 1;
      while (j > 0 && v > (cells[top[j - 1] ?? 0] ?? NaN)) {
        top[j] = top[j - 1] ?? 0;
        j--;
      }
      top[j] = i;
    }
    const out: Hotspot[] = [];
    for (let j = 0; j < m; j++) {
      const i = top[j] ?? 0;
      const r = Math.floor(i / this.colCount);
      const c = i - r * this.colCount;
      out.push({ x: this.centreX(c), y: this.centreY(r), value: cells[i] ?? NaN });
    }
    return out;
  }

  /** The outputs change only with the input. */
  nextDue(_tick: number): number {
    return Infinity;
  }

  /** The latest grid (or its error) as plain JSON; zone masks are a cache and are not saved. */
  snapshot(): unknown {
    if (!this.known) return { grid: null, error: this.error ?? null };
    const grid: number[][] = [];
    for (let r = 0; r < this.rowCount; r++) {
      grid.push(Array.from(this.cells.subarray(r * this.colCount, (r + 1) * this.colCount)));
    }
    return { grid, error: null };
  }

  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null) throw new Error('occupancy_field snapshot is not an object');
    const s = state as Record<string, unknown>;
    this.update(s['grid'] === null ? undefined : s['grid']);
    if (s['grid'] === null) this.error = typeof s['error'] === 'string' ? s['error'] : undefined;
  }
}
