import type { DeploymentModel, JsonValue } from '../config/model.js';
import type { TickContext } from '../expr/compiled.js';
import { sameNumber } from '../conditions/temporal-op.js';
import { GOOD_ON_FAST_PATH, type SensorRuntime, type SensorSlots } from '../sensors/sensor-runtime.js';
import type { EventRecord } from './event-record.js';
import { ReadStatus, type Frame } from './frame.js';
import type { SpatialContext } from '../spatial/spatial-context.js';
import type { CompiledAction, GraphNode } from './graph-node.js';
import { renderJson, renderTemplate } from './templates.js';
import type { Programs } from '../vm/programs.js';
import { ringSlot } from '../conditions/series-buffer.js';

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

/**
 * Ticks the timer wheel spans (see Engine.schedule): a node due further ahead waits in its
 * bucket until the wheel comes round to its tick.
 */
const WHEEL = 256;

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
  /**
   * Per sensor: 1 while its readings take the fast path (SensorRuntime.plainOk, and it read good
   * on the last tick), its frame index, its slot, its last good tick (GOOD_ON_FAST_PATH on the
   * fast path: the tick in the last cell, the last step's).
   */
  private readonly sensorPlain: Uint8Array;
  private readonly sensorIndex: Int32Array;
  private readonly sensorSlot: Int32Array;
  private readonly sensorGood: Float64Array;
  /** Sensor i is frame index i and slot i (the usual layout): the fast path skips the lookups. */
  private readonly sensorsInPlace: boolean;
  /**
   * Which nodes run this tick, a bit per node (node i: bit i & 31 of word i >> 5): `ready` for
   * event-driven nodes woken or due, `always` for the ones that run every tick. Step walks the set
   * bits in order, so its cost follows the nodes that run, not the nodes there are.
   */
  private readonly ready: Int32Array;
  private readonly always: Int32Array;
  /** Waiting nodes due on the next tick: `ready` for the next step (most windows that move). */
  private readonly soon: Int32Array;
  /** No node waits: step walks every node, without the bit sets. */
  private readonly allAlways: boolean;
  /**
   * Event-driven nodes waiting for a due tick: a wheel of WHEEL buckets, each a doubly linked
   * list through `wheelNext`/`wheelPrev` (-1 ends it), a node in the bucket of its due tick
   * (`wheelAt`, -1 when in none). No allocation: every link is a typed-array cell.
   */
  private readonly wheelHead = new Int32Array(WHEEL).fill(-1);
  private readonly wheelNext: Int32Array;
  private readonly wheelPrev: Int32Array;
  private readonly wheelAt: Int32Array;
  /** [the tick of the last step]; the schedule is rebuilt from `due` when a step does not follow it. */
  private readonly stepped = new Float64Array([NaN]);
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
    this.sensorGood = new Float64Array(this.sensors.length + 1).fill(-1);
    this.sensors.forEach((s, i) => s.bindTable(this.sensorGood, i));
    // Every sensor starts on the slow path, which moves it to the fast one after a good reading.
    this.sensorPlain = new Uint8Array(this.sensors.length);
    this.sensorsInPlace = this.sensors.every((s, i) => s.index === i && s.slot === i);
    const words = (n + 31) >>> 5;
    this.ready = new Int32Array(words);
    this.soon = new Int32Array(words);
    this.always = new Int32Array(words);
    for (let i = 0; i < n; i++) if (((this.flags[i] as number) & Flag.Waits) === 0) this.always[i >>> 5] = (this.always[i >>> 5] as number) | (1 << (i & 31));
    this.allAlways = this.flags.every((f) => (f & Flag.Waits) === 0);
    this.wheelNext = new Int32Array(n).fill(-1);
    this.wheelPrev = new Int32Array(n).fill(-1);
    this.wheelAt = new Int32Array(n).fill(-1);
  }

  /** Runs one tick. The returned arrays are reused by the next call: consume them first. */
  step(frame: Frame, tick: number): StepResult {
    const ctx = this.ctx;
    ctx.tick = tick;
    const out = this.result;
    out.records.length = 0;
    out.actions.length = 0;
    if (tick !== (this.stepped[0] as number) + 1) this.rebuildSchedule(tick);
    this.stepped[0] = tick;
    this.applySensors(frame, tick, out.records);
    // No closure here: capturing `frame` would make V8 allocate a context on every step.
    if (this.spatial.feeds.length > 0) this.spatial.update(tick, this.slots, frame.status);
    this.pullDue(tick);
    if (this.allAlways) {
      for (let i = 0; i < this.flags.length; i++) this.run(i, tick);
    } else {
      for (let i = this.nextReady(0); i >= 0; i = this.nextReady(i + 1)) this.run(i, tick);
    }
    return out;
  }

  /** Evaluates node `i` this tick: a node on a program inline, off typed arrays only; any other through `evaluate`. */
  private run(i: number, tick: number): void {
    const f = this.flags[i] as number;
    if ((f & Flag.Program) === 0) {
      this.evaluate(i, this.nodes[i] as GraphNode, tick);
      return;
    }
    const programs = this.programs;
    const result = programs.out;
    const num = this.num;
    this.evaluations++;
    programs.run(this.entry[i] as number, tick, (f & Flag.Event) !== 0);
    const v = result[0] as number;
    const slot = this.slotOf[i] as number;
    const old = num[slot] as number;
    num[slot] = v;
    if ((f & Flag.Event) !== 0) {
      const d = result[1] as number;
      this.due[i] = d;
      if ((f & Flag.Waits) !== 0) this.schedule(i, d, tick);
    }
    if (old !== v && (old === old || v === v)) this.wake(slot, tick);
    if ((f & Flag.Condition) !== 0 && (this.established[i] === 0 || this.isTrue[i] !== (v === 1 ? 1 : 0))) this.edges(i, this.nodes[i] as GraphNode, tick);
  }

  /**
   * The next node from `from` on that runs this tick (clearing its `ready` bit), or -1. Bits set
   * meanwhile for later nodes (a wake) are seen: each word is read again when reached.
   */
  private nextReady(from: number): number {
    const ready = this.ready;
    const always = this.always;
    let w = from >>> 5;
    if (w >= ready.length) return -1;
    let bits = ((ready[w] as number) | (always[w] as number)) & (-1 << (from & 31));
    for (;;) {
      if (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        ready[w] = (ready[w] as number) & ~(1 << b);
        return (w << 5) | b;
      }
      if (++w >= ready.length) return -1;
      bits = (ready[w] as number) | (always[w] as number);
    }
  }

  /** Marks node `i` to run this tick. */
  private setReady(i: number): void {
    this.ready[i >>> 5] = (this.ready[i >>> 5] as number) | (1 << (i & 31));
  }

  /**
   * Files waiting node `i`, just evaluated at `tick`, under its next due tick `due` (a deadline
   * its operators asked for; Infinity: none, only a wake runs it). Not before the next tick.
   */
  private schedule(i: number, due: number, tick: number): void {
    this.unlink(i);
    if (due <= tick + 1) {
      // Due next tick (a window still moving): a bit, not a trip through the wheel.
      this.soon[i >>> 5] = (this.soon[i >>> 5] as number) | (1 << (i & 31));
      return;
    }
    if (due === Infinity) return;
    const b = ringSlot(due > tick ? due : tick + 1, WHEEL);
    const head = this.wheelHead[b] as number;
    this.wheelNext[i] = head;
    this.wheelPrev[i] = -1;
    if (head >= 0) this.wheelPrev[head] = i;
    this.wheelHead[b] = i;
    this.wheelAt[i] = b;
  }

  private unlink(i: number): void {
    const b = this.wheelAt[i] as number;
    if (b < 0) return;
    const next = this.wheelNext[i] as number;
    const prev = this.wheelPrev[i] as number;
    if (prev >= 0) this.wheelNext[prev] = next;
    else this.wheelHead[b] = next;
    if (next >= 0) this.wheelPrev[next] = prev;
    this.wheelAt[i] = -1;
  }

  /** Marks the nodes due at `tick` (the bucket's others are due a lap or more later). */
  private pullDue(tick: number): void {
    const ready = this.ready;
    const soon = this.soon;
    for (let w = 0; w < soon.length; w++) {
      if (soon[w] === 0) continue;
      ready[w] = (ready[w] as number) | (soon[w] as number);
      soon[w] = 0;
    }
    const due = this.due;
    let i = this.wheelHead[ringSlot(tick, WHEEL)] as number;
    while (i >= 0) {
      const next = this.wheelNext[i] as number;
      if ((due[i] as number) <= tick) {
        this.unlink(i);
        this.setReady(i);
      }
      i = next;
    }
  }

  /**
   * The schedule from `due` alone, for a step that does not follow the last one (the first, one
   * after a restore or a gap in the ticks): nodes due by `tick` run, the others wait in the wheel.
   */
  private rebuildSchedule(tick: number): void {
    this.ready.fill(0);
    this.soon.fill(0);
    this.wheelHead.fill(-1);
    this.wheelAt.fill(-1);
    for (let i = 0; i < this.flags.length; i++) {
      if (((this.flags[i] as number) & Flag.Waits) === 0) continue;
      const d = this.due[i] as number;
      if (d <= tick) this.setReady(i);
      else this.schedule(i, d, tick - 1);
    }
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
    if (tick !== (this.stepped[0] as number) + 1) this.rebuildSchedule(tick);
    this.stepped[0] = tick;
    this.applySensors(frame, tick, out.records);
    p.mark(StepPhase.Sensors, -1);
    if (this.spatial.feeds.length > 0) {
      this.spatial.update(tick, this.slots, frame.status);
      p.mark(StepPhase.Spatial, -1);
    }
    this.pullDue(tick);
    const perNode = p.timeNodes;
    let phase: StepPhase = StepPhase.Patterns;
    for (let i = this.nextReady(0); i >= 0; i = this.nextReady(i + 1)) {
      const node = this.nodes[i] as GraphNode;
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
    if (this.sensorsInPlace) this.applyInPlace(frame, tick, records);
    else this.applyMapped(frame, tick, records);
    // The fast path's tick: what GOOD_ON_FAST_PATH stands for from now on.
    this.sensorGood[this.sensors.length] = tick;
  }

  /**
   * applySensors when sensor i is frame index i and slot i. Every array in a local: the slow
   * path's call would make V8 reload fields on every pass. ReadStatus.Ok as a literal (checked
   * against it by `satisfies`): V8 does not fold the property read away (0.5 µs a tick at 1,000
   * sensors).
   */
  private applyInPlace(frame: Frame, tick: number, records: EventRecord[]): void {
    const plain = this.sensorPlain;
    const status = frame.status;
    const values = frame.num;
    const num = this.num;
    for (let i = 0; i < plain.length; i++) {
      if (plain[i] === 1 && status[i] === (1 satisfies typeof ReadStatus.Ok)) {
        const raw = values[i] as number;
        const old = num[i] as number;
        if (old !== raw && (old === old || raw === raw)) {
          num[i] = raw;
          this.wake(i, tick);
        }
        continue;
      }
      this.applySlow(i, frame, tick, records);
    }
  }

  /** applySensors for any layout: as applyInPlace, through each sensor's frame index and slot. */
  private applyMapped(frame: Frame, tick: number, records: EventRecord[]): void {
    const plain = this.sensorPlain;
    const status = frame.status;
    const values = frame.num;
    const num = this.num;
    const sensorIndex = this.sensorIndex;
    const sensorSlot = this.sensorSlot;
    for (let i = 0; i < plain.length; i++) {
      const index = sensorIndex[i] as number;
      if (plain[i] === 1 && status[index] === (1 satisfies typeof ReadStatus.Ok)) {
        const raw = values[index] as number;
        const slot = sensorSlot[i] as number;
        const old = num[slot] as number;
        if (old !== raw && (old === old || raw === raw)) {
          num[slot] = raw;
          this.wake(slot, tick);
        }
        continue;
      }
      this.applySlow(i, frame, tick, records);
    }
  }

  /**
   * A reading off the fast path, through SensorRuntime.apply (health, filters). The sensor takes
   * the fast path from the next tick on when it would do nothing more there and read good now:
   * its last good tick then stays GOOD_ON_FAST_PATH, which is right for as long as it reads good.
   */
  private applySlow(i: number, frame: Frame, tick: number, records: EventRecord[]): void {
    const s = this.sensors[i] as SensorRuntime;
    const good = this.sensorGood;
    // Off the fast path now: its last good tick becomes the fast path's last one, for good.
    if (good[i] === GOOD_ON_FAST_PATH) good[i] = good[this.sensors.length] as number;
    if (s.apply(frame, tick, this.slots, records)) this.wake(s.slot, tick);
    if (s.plainOk && frame.status[s.index] === ReadStatus.Ok) {
      this.sensorPlain[i] = 1;
      this.sensorGood[i] = GOOD_ON_FAST_PATH;
    } else {
      this.sensorPlain[i] = 0;
    }
  }

  private wake(slot: number, tick: number): void {
    const readers = this.readers[slot] as number[];
    // A reader comes later in the order than what woke it: it runs this tick, which sets its due
    // tick anew. One array for both reasons to run keeps step's skip test to one read.
    const due = this.due;
    for (let j = 0; j < readers.length; j++) {
      const r = readers[j] as number;
      due[r] = tick;
      this.setReady(r);
    }
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
      if (((this.flags[i] as number) & Flag.Waits) !== 0) this.schedule(i, due, tick);
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
    // The next step files the nodes anew from `due`.
    this.stepped[0] = NaN;
    s.isTrue.forEach((v, i) => (this.isTrue[i] = v));
    s.established.forEach((v, i) => (this.established[i] = v));
    s.sensors.forEach((v, i) => this.sensors[i]?.restore(v));
    // Back to the slow path: a restored last good tick is not the fast path's.
    this.sensorPlain.fill(0);
    this.spatial.restore(s.spatial);
    s.nodes.forEach((v, i) => {
      const node = this.nodes[i];
      if (node !== undefined && node.program >= 0) this.programs.restore(node.program, v.ops);
      else v.ops.forEach((o, k) => node?.ops[k]?.restore(o));
      v.filters.forEach((f, k) => node?.filters[k]?.restore(f));
    });
  }
}
