import { parseDuration } from '../config/durations.js';
import type { PatternModel } from '../config/model.js';
import { ticksAtLeast, type TemporalOp } from '../conditions/temporal-op.js';
import { ExprError } from '../expr/ast.js';
import type { Compiled, TickContext } from '../expr/compiled.js';
import { lookupUnit, NO_UNIT } from '../expr/units.js';
import type { SpatialContext } from '../spatial/spatial-context.js';
import type { ZoneGeometry } from '../spatial/zone-geometry.js';
import { FieldNode } from './field-node.js';
import { OccupancyField } from './occupancy-field.js';
import { QueueFlow } from './queue-flow.js';

/** What building these patterns needs from the graph. */
export interface PatternEnv {
  readonly ctx: TickContext;
  readonly spatial: SpatialContext;
  readonly zones: ReadonlyMap<string, ZoneGeometry>;
  /** Compiles an expression of this pattern (arrivals:, input:) in its scope. */
  readonly compile: (text: string) => Compiled;
  readonly addOp: (op: TemporalOp) => void;
}

const PER_MINUTE = lookupUnit('1/min') ?? NO_UNIT;
const SECONDS = lookupUnit('s') ?? NO_UNIT;

/** The state of a queue_flow: the counts, and the previous value of each edge input. */
class QueueFlowOp implements TemporalOp {
  prevArrival = 0;
  prevDeparture = 0;

  constructor(readonly flow: QueueFlow) {}

  nextDue(tick: number): number {
    return this.flow.nextDue(tick);
  }

  snapshot(): unknown {
    return { flow: this.flow.snapshot(), a: this.prevArrival, d: this.prevDeparture };
  }

  restore(state: unknown): void {
    const s = state as { flow: unknown; a: number; d: number };
    this.flow.restore(s.flow);
    this.prevArrival = s.a;
    this.prevDeparture = s.d;
  }

  reset(): void {
    this.flow.reset();
    this.prevArrival = 0;
    this.prevDeparture = 0;
  }
}

/**
 * `queue_flow`: arrivals and departures are the rising edges of two boolean inputs (`arrivals:`,
 * `departures:`), or entities entering and leaving a `zone:`. Fields: `length`, `arrival_rate`
 * and `service_rate` (per minute, over `window:`, default 5min) and `wait` (seconds, Little's law,
 * unknown while nothing is served).
 */
export function queueFlowNode(p: PatternModel, env: PatternEnv): FieldNode {
  const windowText = p.params['window'] ?? '5min';
  const window = parseDuration(windowText);
  if ('error' in window) throw new ExprError(0, `window: ${window.error}`, 'type');
  const flow = new QueueFlow(Math.max(1, ticksAtLeast(window.us, env.ctx.periodUs)), env.ctx.periodUs);
  const op = new QueueFlowOp(flow);
  env.addOp(op);
  const ctx = env.ctx;
  // This tick's [arrivals, departures], in a typed array: nothing allocated per tick.
  const counts = new Float64Array(2);
  let count: () => void;
  const zone = p.params['zone'];
  if (typeof zone === 'string') {
    const zi = env.spatial.zoneIndexOf(zone);
    if (zi < 0) throw new ExprError(0, `unknown zone "${zone}"`, 'reference');
    count = () => {
      counts[0] = env.spatial.crossedCount(zi, true);
      counts[1] = env.spatial.crossedCount(zi, false);
    };
  } else {
    const [a, d] = ['arrivals', 'departures'].map((k) => {
      const text = p.params[k];
      if (typeof text !== 'string') throw new ExprError(0, `a queue_flow needs \`zone\`, or \`arrivals\` and \`departures\` expressions`, 'type');
      const c = env.compile(text);
      if (c.kind !== 'boolean') throw new ExprError(0, `${k}: must be a condition (true/false)`, 'type');
      return c;
    }) as [Compiled, Compiled];
    count = () => {
      a.run();
      d.run();
      const va = a.out[a.at] === 1 ? 1 : 0;
      const vd = d.out[d.at] === 1 ? 1 : 0;
      counts[0] = va === 1 && op.prevArrival !== 1 ? 1 : 0;
      counts[1] = vd === 1 && op.prevDeparture !== 1 ? 1 : 0;
      op.prevArrival = va;
      op.prevDeparture = vd;
    };
  }
  return new FieldNode(
    p.id,
    [
      { name: 'length', unit: NO_UNIT },
      { name: 'arrival_rate', unit: PER_MINUTE },
      { name: 'service_rate', unit: PER_MINUTE },
      { name: 'wait', unit: SECONDS },
    ],
    (out) => {
      count();
      flow.record(ctx.tick, counts[0] as number, counts[1] as number);
      out[0] = flow.length;
      out[1] = flow.arrivalRate;
      out[2] = flow.serviceRate;
      out[3] = flow.waitS;
    },
  );
}

/**
 * `occupancy_field`: a sensor whose value is a 2-D grid (`input:`), placed by `origin: [x, y]` and
 * `cell_size` (metres); a cell is occupied at or above `threshold`. Fields: `percent`,
 * `occupied_cells`, `hotspots` (the `hotspots:` strongest occupied cells, default 3, as
 * [{x, y, value}]), `hotspots.N` (the N strongest, N <= `hotspots:`) and `percent_in.ZONE`; the
 * parser turns `f.hotspots(N)` and `f.percent_in(ZONE)` into those.
 */
export function occupancyNode(p: PatternModel, env: PatternEnv): FieldNode {
  const input = p.params['input'];
  const origin = p.params['origin'] ?? [0, 0];
  const cellSize = Number(p.params['cell_size'] ?? 1);
  const threshold = Number(p.params['threshold'] ?? 1);
  const k = Number(p.params['hotspots'] ?? 3);
  if (typeof input !== 'string') throw new ExprError(0, 'an occupancy_field needs `input:`, the grid sensor', 'type');
  if (!Array.isArray(origin) || origin.length !== 2 || !origin.every((v) => typeof v === 'number')) {
    throw new ExprError(0, 'origin: must be [x, y] in metres', 'type');
  }
  const grid = env.compile(input);
  if (grid.ref === undefined) throw new ExprError(0, 'input: must be a sensor whose value is a grid (type: json)', 'type');
  const read = grid.ref;
  const field = new OccupancyField({ originX: origin[0] as number, originY: origin[1] as number, cellSizeM: cellSize, threshold });
  const zoneIds = [...env.zones.keys()];
  let hotspots: unknown = undefined;
  /** `hotspots(n)` for n = 1..k: the n strongest cells, sliced once per new grid. */
  let strongest: unknown[] = [];
  let lastGrid: unknown = undefined;
  // A new grid can move the hotspots without changing any number: readers must wake then too.
  let freshGrid = false;
  const node = new FieldNode(
    p.id,
    [
      { name: 'percent', unit: lookupUnit('%') ?? NO_UNIT },
      { name: 'occupied_cells', unit: NO_UNIT },
      ...zoneIds.map((z) => ({ name: `percent_in.${z}`, unit: lookupUnit('%') ?? NO_UNIT })),
    ],
    (out) => {
      const g = read();
      if (g === lastGrid) return;
      lastGrid = g;
      freshGrid = true;
      field.update(g);
      out[0] = field.percent;
      out[1] = field.occupiedCells;
      zoneIds.forEach((z, i) => {
        const zone = env.zones.get(z);
        out[2 + i] = zone === undefined ? NaN : field.percentIn((x, y) => zone.contains(x, y, NaN), i);
      });
      const all = field.hotspots(k);
      hotspots = all;
      strongest = Array.from({ length: k }, (_, n) => all?.slice(0, n + 1));
    },
    () => {
      const fresh = freshGrid;
      freshGrid = false;
      return fresh;
    },
  );
  node.refs.set('hotspots', () => hotspots);
  for (let n = 1; n <= k; n++) node.refs.set(`hotspots.${n}`, () => strongest[n - 1]);
  return node;
}
