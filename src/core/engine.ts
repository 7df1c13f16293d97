import type { DeploymentModel, JsonValue } from '../config/model.js';
import type { TickContext } from '../expr/compiled.js';
import { sameNumber } from '../conditions/temporal-op.js';
import type { SensorRuntime, SensorSlots } from '../sensors/sensor-runtime.js';
import type { EventRecord } from './event-record.js';
import { ReadStatus, type Frame } from './frame.js';
import type { SpatialContext } from '../spatial/spatial-context.js';
import type { CompiledAction, GraphNode } from './graph-node.js';
import { renderJson, renderTemplate } from './templates.js';
import type { Programs } from '../vm/programs.js';

export interface EngineParts {
  readonly model: DeploymentModel;
  readonly ctx: TickContext;
  readonly num: Float64Array;
  readonly ref: unknown[];
  readonly sensors: readonly SensorRuntime[];
  readonly nodes: readonly GraphNode[];
  readonly spatial: SpatialContext;
  readonly programs: Programs;
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

/** Bits of Engine.flags: what step needs to know of a node without reading the node object. */
const Flag = {
  /** Event-driven and not every tick: skipped unless woken or due. */
  Waits: 1,
  /** Event-driven: keeps the tick its operators next need. */
  Event: 2,
  Condition: 4,
  /** A flat program with no filters and a numeric value: step evaluates it inline. */
  Program: 8,
} as const;

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
  private readonly programs: Programs;
  private readonly num: Float64Array;
  private readonly ref: unknown[];
  private readonly slots: SensorSlots;
  /** Per node: the next tick it must run: what its operators asked for, or this tick when an input changed. */
  private readonly due: Float64Array;
  private readonly isTrue: Uint8Array;
  private readonly established: Uint8Array;
  /** Per slot: the nodes that read it. */
  private readonly readers: number[][];
  /**
   * Per node, what step's loop reads (bits of Flag, the program's entry, the value's slot), in
   * typed arrays: at 10,000 conditions the node objects no longer fit in cache, these do.
   */
  private readonly flags: Uint8Array;
  private readonly entry: Int32Array;
  private readonly slotOf: Int32Array;
  /** Per sensor: 1 while its readings take the fast path (SensorRuntime.plainOk), its frame index, its slot, its last good tick. */
  private readonly sensorPlain: Uint8Array;
  private readonly sensorIndex: Int32Array;
  private readonly sensorSlot: Int32Array;
  private readonly sensorGood: Float64Array;
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
    this.programs = parts.programs;
    const n = this.nodes.length;
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
    this.flags = Uint8Array.from(this.nodes, (node) => {
      let f = node.kind === 'condition' ? Flag.Condition : 0;
      if (node.mode === 'event') f |= node.everyTick ? Flag.Event : Flag.Event | Flag.Waits;
      // A program is numeric and holds all of its node's operators (ProgramBuilder.add).
      if (node.program >= 0 && node.filters.length === 0) f |= Flag.Program;
      return f;
    });
    this.entry = Int32Array.from(this.nodes, (node) => node.program);
    this.slotOf = Int32Array.from(this.nodes, (node) => node.slot);
    this.sensorIndex = Int32Array.from(this.sensors, (s) => s.index);
    this.sensorSlot = Int32Array.from(this.sensors, (s) => s.slot);
    this.sensorGood = new Float64Array(this.sensors.length);
    this.sensors.forEach((s, i) => s.bindTable(this.sensorGood, i));
    this.sensorPlain = Uint8Array.from(this.sensors, (s) => (s.plainOk ? 1 : 0));
  }

  /** Runs one tick. The returned arrays are reused by the next call: consume them first. */
  step(frame: Frame, tick: number): StepResult {
    const ctx = this.ctx;
    ctx.tick = tick;
    const out = this.result;
    out.records.length = 0;
    out.actions.length = 0;
    this.applySensors(frame, tick, out.records);
    // No closure here: capturing `frame` would make V8 allocate a context on every step.
    if (this.spatial.feeds.length > 0) this.spatial.update(tick, this.slots, frame.status);
    const flags = this.flags;
    const due = this.due;
    const num = this.num;
    const programs = this.programs;
    const result = programs.out;
    for (let i = 0; i < flags.length; i++) {
      const f = flags[i] as number;
      if ((f & Flag.Waits) !== 0 && (due[i] as number) > tick) continue;
      if ((f & Flag.Program) === 0) {
        this.evaluate(i, this.nodes[i] as GraphNode, tick);
        continue;
      }
      // `evaluate` for a node on a program, inline, off typed arrays only.
      this.evaluations++;
      programs.run(this.entry[i] as number, tick, (f & Flag.Event) !== 0);
      const v = result[0] as number;
      const slot = this.slotOf[i] as number;
      const old = num[slot] as number;
      num[slot] = v;
      if ((f & Flag.Event) !== 0) due[i] = result[1] as number;
      if (old !== v && (old === old || v === v)) this.wake(slot, tick);
      if ((f & Flag.Condition) !== 0 && (this.established[i] === 0 || this.isTrue[i] !== (v === 1 ? 1 : 0))) this.edges(i, this.nodes[i] as GraphNode, tick);
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
    this.applySensors(frame, tick, out.records);
    p.mark(StepPhase.Sensors, -1);
    if (this.spatial.feeds.length > 0) {
      this.spatial.update(tick, this.slots, frame.status);
      p.mark(StepPhase.Spatial, -1);
    }
    const perNode = p.timeNodes;
    let phase: StepPhase = StepPhase.Patterns;
    for (let i = 0; i < this.nodes.length; i++) {
      const node = this.nodes[i] as GraphNode;
      if (((this.flags[i] as number) & Flag.Waits) !== 0 && (this.due[i] as number) > tick) continue;
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

  /**
   * Phase 1: the tick's readings into the sensors' slots. A good reading of a healthy plain
   * numeric sensor (most of them, most ticks) is applied here off typed arrays; anything else
   * goes through SensorRuntime.apply, which tracks health and filters.
   */
  private applySensors(frame: Frame, tick: number, records: EventRecord[]): void {
    const plain = this.sensorPlain;
    const status = frame.status;
    const values = frame.num;
    const num = this.num;
    for (let i = 0; i < plain.length; i++) {
      const index = this.sensorIndex[i] as number;
      if (plain[i] === 1 && status[index] === ReadStatus.Ok) {
        this.sensorGood[i] = tick;
        const raw = values[index] as number;
        const slot = this.sensorSlot[i] as number;
        const old = num[slot] as number;
        if (old !== raw && (old === old || raw === raw)) {
          num[slot] = raw;
          this.wake(slot, tick);
        }
        continue;
      }
      const s = this.sensors[i] as SensorRuntime;
      if (s.apply(frame, tick, this.slots, records)) this.wake(s.slot, tick);
      plain[i] = s.plainOk ? 1 : 0;
    }
  }

  private wake(slot: number, tick: number): void {
    const readers = this.readers[slot] as number[];
    // A reader comes later in the order than what woke it: it runs this tick, which sets its due
    // tick anew. One array for both reasons to run keeps step's skip test to one read.
    const due = this.due;
    for (let j = 0; j < readers.length; j++) due[readers[j] as number] = tick;
  }

  private evaluate(i: number, node: GraphNode, tick: number): void {
    this.evaluations++;
    let changed: boolean;
    if (node.ref !== undefined && node.valueKind !== 'boolean' && node.valueKind !== 'number') {
      const v = node.ref();
      changed = this.ref[node.slot] !== v;
      this.ref[node.slot] = v;
    } else {
      if (node.program >= 0) this.programs.run(node.program, tick, node.mode === 'event');
      else node.run();
      let v = node.out[node.at] ?? NaN;
      if (node.filters.length > 0) v = this.filter(node, v);
      changed = !sameNumber(this.num[node.slot] ?? NaN, v);
      this.num[node.slot] = v;
    }
    if (node.mode === 'event') {
      // Polling nodes run every tick anyway: only event-driven ones need their deadlines.
      let due = node.program >= 0 ? (this.programs.out[1] as number) : Infinity;
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
    node.detail?.addTo(record);
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
      nodes: this.nodes.map((n) => ({
        ops: n.program >= 0 ? this.programs.snapshot(n.program) : n.ops.map((o) => o.snapshot()),
        filters: n.filters.map((f) => f.snapshot()),
      })),
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
    this.sensors.forEach((sensor, i) => (this.sensorPlain[i] = sensor.plainOk ? 1 : 0));
    this.spatial.restore(s.spatial);
    s.nodes.forEach((v, i) => {
      const node = this.nodes[i];
      if (node !== undefined && node.program >= 0) this.programs.restore(node.program, v.ops);
      else v.ops.forEach((o, k) => node?.ops[k]?.restore(o));
      v.filters.forEach((f, k) => node?.filters[k]?.restore(f));
    });
  }
}
