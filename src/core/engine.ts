import type { DeploymentModel, JsonValue } from '../config/model.js';
import type { TickContext } from '../expr/compiled.js';
import { sameNumber } from '../conditions/temporal-op.js';
import type { SensorRuntime, SensorSlots } from '../sensors/sensor-runtime.js';
import type { EventRecord } from './event-record.js';
import type { Frame } from './frame.js';
import type { SpatialContext } from '../spatial/spatial-context.js';
import type { CompiledAction, GraphNode } from './graph-node.js';
import { renderJson, renderTemplate } from './templates.js';

export interface EngineParts {
  readonly model: DeploymentModel;
  readonly ctx: TickContext;
  readonly num: Float64Array;
  readonly ref: unknown[];
  readonly sensors: readonly SensorRuntime[];
  readonly nodes: readonly GraphNode[];
  readonly spatial: SpatialContext;
}

/** An action to run because of an edge, with its templates already rendered at that tick. */
export interface ActionRequest {
  readonly t: number;
  readonly tick: number;
  readonly condition: string;
  readonly edge: 'rising' | 'falling';
  readonly index: number;
  readonly action: CompiledAction;
  readonly message: string | undefined;
  readonly payload: JsonValue | undefined;
}

/** The phases of a step, as an {@link EngineProfiler} hears of them (src/profiler numbers a tick's other phases around these). */
export const StepPhase = { Sensors: 1, Spatial: 2, Patterns: 3, Conditions: 4 } as const;
export type StepPhase = (typeof StepPhase)[keyof typeof StepPhase];

/**
 * The profiler's hook into a step (SPEC §8), for the ticks it times: `stepProfiled` calls `mark`
 * at the end of each phase; the hook reads its own injected clock, since the core reads none: a
 * mark means "the work since the previous mark was this phase". Called synchronously on the tick
 * path: it must not throw, and should not allocate.
 */
export interface EngineProfiler {
  /** Mark after every evaluated node this step (a sampled step: it costs one clock read per node). */
  readonly timeNodes: boolean;
  /** The work since the previous mark was `phase`; `node` is the node just evaluated (its index in `nodes`) when `timeNodes`, else -1. */
  mark(phase: StepPhase, node: number): void;
}

/** The shape of {@link Engine.snapshot}: slots by slot, nodes by node index, sensors by index. */
export interface EngineState {
  num: Array<number | null>;
  ref: unknown[];
  due: Array<number | null>;
  isTrue: number[];
  established: number[];
  sensors: unknown[];
  spatial: unknown;
  nodes: Array<{ ops: unknown[]; filters: unknown[] }>;
}

/** What one tick produced: log records (sensor health, edges) and actions to dispatch. */
export interface StepResult {
  readonly records: EventRecord[];
  readonly actions: ActionRequest[];
}

/**
 * The evaluation core: `step(frame, tick)` applies one tick's sensor input, updates patterns and
 * conditions in topological order and reports edges and actions (SPEC §4.1 phases 1-4). Pure
 * and deterministic: no clock, no I/O; time is the tick number. State is mutated in place (the
 * tick allocates nothing) and can be snapshotted and restored.
 *
 * Event-driven nodes (SPEC §4.4) run only when an input slot changed this tick or one of their
 * temporal operators asked for this tick; polling nodes run every tick. Both give the same log,
 * because every operator is exact under skipped ticks (see TemporalOp.nextDue).
 */
export class Engine {
  readonly model: DeploymentModel;
  readonly periodUs: number;
  readonly nodes: readonly GraphNode[];
  readonly sensors: readonly SensorRuntime[];
  private readonly ctx: TickContext;
  private readonly spatial: SpatialContext;
  private readonly num: Float64Array;
  private readonly ref: unknown[];
  private readonly slots: SensorSlots;
  /** Per node: the tick at which an input last changed. */
  private readonly woken: Float64Array;
  /** Per node: the next tick a temporal operator asked for. */
  private readonly due: Float64Array;
  private readonly isTrue: Uint8Array;
  private readonly established: Uint8Array;
  /** Per slot: the nodes that read it. */
  private readonly readers: number[][];
  private readonly result: { records: EventRecord[]; actions: ActionRequest[] } = { records: [], actions: [] };
  /** Evaluations performed (profiling and the poll/event comparison). */
  evaluations = 0;

  constructor(parts: EngineParts) {
    this.model = parts.model;
    this.periodUs = parts.ctx.periodUs;
    this.ctx = parts.ctx;
    this.num = parts.num;
    this.ref = parts.ref;
    this.slots = { num: parts.num, ref: parts.ref };
    this.sensors = parts.sensors;
    this.nodes = parts.nodes;
    this.spatial = parts.spatial;
    const n = this.nodes.length;
    this.woken = new Float64Array(n).fill(-1);
    this.due = new Float64Array(n).fill(0);
    this.isTrue = new Uint8Array(n);
    this.established = new Uint8Array(n).fill(this.model.runtime.initial === 'fire' ? 1 : 0);
    this.readers = Array.from({ length: parts.num.length }, () => [] as number[]);
    // Only event-driven nodes wait to be woken; polled and every-tick nodes run anyway, so
    // listing them would only cost work for every changed input.
    this.nodes.forEach((node, i) => {
      if (node.mode !== 'event' || node.everyTick) return;
      for (const slot of node.inputs) this.readers[slot]?.push(i);
    });
  }

  /** Runs one tick. The returned arrays are reused by the next call: consume them first. */
  step(frame: Frame, tick: number): StepResult {
    const ctx = this.ctx;
    ctx.tick = tick;
    const out = this.result;
    out.records.length = 0;
    out.actions.length = 0;
    for (let i = 0; i < this.sensors.length; i++) {
      const s = this.sensors[i] as SensorRuntime;
      if (s.apply(frame, tick, this.slots, out.records)) this.wake(s.slot, tick);
    }
    // No closure here: capturing `frame` would make V8 allocate a context on every step.
    if (this.spatial.feeds.length > 0) this.spatial.update(tick, this.slots, frame.status);
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i] as GraphNode;
      if (node.mode === 'event' && !node.everyTick && this.woken[i] !== tick && (this.due[i] ?? 0) > tick) continue;
      this.evaluate(i, node, tick);
    }
    return out;
  }

  /**
   * `step`, the same work and results, with its phases marked for `p` (and every evaluated node
   * when `p.timeNodes`): a profiler calls it on the ticks it times. A copy of step's loops, not
   * checks inside them, so that `step` itself is untouched by profiling.
   */
  stepProfiled(frame: Frame, tick: number, p: EngineProfiler): StepResult {
    const ctx = this.ctx;
    ctx.tick = tick;
    const out = this.result;
    out.records.length = 0;
    out.actions.length = 0;
    for (let i = 0; i < this.sensors.length; i++) {
      const s = this.sensors[i] as SensorRuntime;
      if (s.apply(frame, tick, this.slots, out.records)) this.wake(s.slot, tick);
    }
    p.mark(StepPhase.Sensors, -1);
    if (this.spatial.feeds.length > 0) {
      this.spatial.update(tick, this.slots, frame.status);
      p.mark(StepPhase.Spatial, -1);
    }
    const perNode = p.timeNodes;
    let phase: StepPhase = StepPhase.Patterns;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i] as GraphNode;
      if (node.mode === 'event' && !node.everyTick && this.woken[i] !== tick && (this.due[i] ?? 0) > tick) continue;
      const kind = node.kind === 'condition' ? StepPhase.Conditions : StepPhase.Patterns;
      // Without per-node marks, one only where the order switches between patterns and conditions.
      if (!perNode && kind !== phase) {
        p.mark(phase, -1);
        phase = kind;
      }
      this.evaluate(i, node, tick);
      if (perNode) p.mark(kind, i);
    }
    if (!perNode) p.mark(phase, -1);
    return out;
  }

  private wake(slot: number, tick: number): void {
    const readers = this.readers[slot] as number[];
    for (let j = 0; j < readers.length; j++) this.woken[readers[j] as number] = tick;
  }

  private evaluate(i: number, node: GraphNode, tick: number): void {
    this.evaluations++;
    let changed: boolean;
    if (node.ref !== undefined && node.valueKind !== 'boolean' && node.valueKind !== 'number') {
      const v = node.ref();
      changed = this.ref[node.slot] !== v;
      this.ref[node.slot] = v;
    } else {
      node.run();
      let v = node.out[node.at] ?? NaN;
      if (node.filters.length > 0) v = this.filter(node, v);
      changed = !sameNumber(this.num[node.slot] ?? NaN, v);
      this.num[node.slot] = v;
    }
    if (node.mode === 'event') {
      // Polling nodes run every tick anyway: only event-driven ones need their deadlines.
      let due = Infinity;
      for (let k = 0; k < node.ops.length; k++) {
        const d = (node.ops[k] as GraphNode['ops'][number]).nextDue(tick);
        if (d < due) due = d;
      }
      this.due[i] = due;
    }
    if (changed) this.wake(node.slot, tick);
    if (node.kind === 'condition') this.edges(i, node, tick);
  }

  private filter(node: GraphNode, input: number): number {
    const tUs = this.ctx.tUs;
    let v: number | undefined = input;
    for (let k = 0; k < node.filters.length && v !== undefined; k++) {
      const f = node.filters[k] as GraphNode['filters'][number];
      v = v !== v ? f.idle(tUs) : f.push(v, tUs);
    }
    return v ?? this.num[node.slot] ?? NaN;
  }

  private edges(i: number, node: GraphNode, tick: number): void {
    const now = this.num[node.slot] === 1 ? 1 : 0;
    if (this.established[i] === 0) {
      this.established[i] = 1;
      this.isTrue[i] = now;
      return;
    }
    if (this.isTrue[i] === now) return;
    this.isTrue[i] = now;
    const edge = now === 1 ? 'rising' : 'falling';
    const t = this.ctx.tUs / 1e6;
    const record: EventRecord = { t, tick, type: 'edge', id: node.id, edge };
    const detail = node.detail?.();
    if (detail !== undefined) Object.assign(record, detail);
    this.result.records.push(record);
    const list = now === 1 ? node.actions : node.onFalling;
    for (let k = 0; k < list.length; k++) {
      const action = list[k] as CompiledAction;
      this.result.actions.push({
        t,
        tick,
        condition: node.id,
        edge,
        index: k,
        action,
        message: action.message === undefined ? undefined : renderTemplate(action.message),
        payload: action.payload === undefined ? undefined : renderJson(action.payload),
      });
    }
  }

  /** Current value of a node or sensor by id (tests, the API, explain). */
  valueOf(id: string): unknown {
    const node = this.nodes.find((n) => n.id === id);
    const slot = node?.slot ?? this.sensors.find((s) => s.id === id)?.slot;
    if (slot === undefined) return undefined;
    const kind = node?.valueKind;
    if (kind === 'string' || kind === 'json') return this.ref[slot];
    const v = this.num[slot] ?? NaN;
    if (v !== v) return this.ref[slot] ?? undefined;
    return kind === 'boolean' ? v === 1 : v;
  }

  /** The value in `slot` (a sensor's slot is its index), as valueOf gives it, in O(1) (/status). */
  slotValue(slot: number, kind: 'number' | 'boolean' | 'string' | 'json' = 'number'): unknown {
    if (kind === 'string' || kind === 'json') return this.ref[slot];
    const v = this.num[slot] ?? NaN;
    if (v !== v) return this.ref[slot] ?? undefined;
    return kind === 'boolean' ? v === 1 : v;
  }

  /** Whether condition node `i` is true, or null before its first evaluation (/status). */
  conditionState(i: number): boolean | null {
    return this.established[i] === 1 ? this.isTrue[i] === 1 : null;
  }

  /** Plain-JSON snapshot of all evaluation state (values, operators, sensors, edges). */
  snapshot(): unknown {
    return {
      num: Array.from(this.num, (v) => (Number.isNaN(v) ? null : v)),
      ref: this.ref.map((v) => v ?? null),
      due: Array.from(this.due, (v) => (Number.isFinite(v) ? v : null)),
      isTrue: Array.from(this.isTrue),
      established: Array.from(this.established),
      sensors: this.sensors.map((s) => s.snapshot()),
      spatial: this.spatial.snapshot(),
      nodes: this.nodes.map((n) => ({ ops: n.ops.map((o) => o.snapshot()), filters: n.filters.map((f) => f.snapshot()) })),
    };
  }

  restore(state: unknown): void {
    const s = state as EngineState;
    s.num.forEach((v, i) => (this.num[i] = v ?? NaN));
    s.ref.forEach((v, i) => (this.ref[i] = v ?? undefined));
    s.due.forEach((v, i) => (this.due[i] = v ?? Infinity));
    s.isTrue.forEach((v, i) => (this.isTrue[i] = v));
    s.established.forEach((v, i) => (this.established[i] = v));
    s.sensors.forEach((v, i) => this.sensors[i]?.restore(v));
    this.spatial.restore(s.spatial);
    s.nodes.forEach((v, i) => {
      const node = this.nodes[i];
      v.ops.forEach((o, k) => node?.ops[k]?.restore(o));
      v.filters.forEach((f, k) => node?.filters[k]?.restore(f));
    });
  }
}
