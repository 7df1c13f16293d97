import { IssueList } from '../config/issues.js';
import type { ActionModel, DeploymentModel, ExprSource, SensorModel, SourcePos } from '../config/model.js';
import { didYouMean, suggest } from '../config/did-you-mean.js';
import type { ErrorCode } from './errors.js';
import { ExprError } from '../expr/ast.js';
import { compileAst, compileExpr, computed } from '../expr/compile.js';
import { READY, type Compiled, type Scope } from '../expr/compiled.js';
import { TickContext } from '../expr/compiled.js';
import { lookupUnit, NO_UNIT } from '../expr/units.js';
import type { TemporalOp } from '../conditions/temporal-op.js';
import { tickTimeUs } from '../conditions/temporal-op.js';
import { FieldNode } from '../patterns/field-node.js';
import { occupancyNode, queueFlowNode } from '../patterns/flow-patterns.js';
import { zoneAggregateNode, zoneMembers } from '../patterns/zone-aggregate-node.js';
import { createFilter } from '../sensors/filters/create-filter.js';
import { sensorsOutsideZones, sensorZones } from '../spatial/sensor-membership.js';
import { SpatialContext } from '../spatial/spatial-context.js';
import { compileSpatialCall } from '../spatial/spatial-functions.js';
import { ZoneGeometry } from '../spatial/zone-geometry.js';
import type { Filter } from '../sensors/filters/filter.js';
import { Engine } from './engine.js';
import type { CompiledAction, GraphNode } from './graph-node.js';
import { topologicalOrder } from './graph-order.js';
import { collectSources, type NodeSource } from './graph-sources.js';
import { EdgeDetail } from './edge-inputs.js';
import { autoMode, buildSensor, compileZoneAggregate, defaultStaleUs } from './graph-parts.js';
import { nodeValue, sensorValue } from './graph-refs.js';
import { compileJson, compileTemplate } from './templates.js';
import { ProgramBuilder } from '../vm/program-builder.js';


const EXPR_CODES: Record<ExprError['kind'], ErrorCode> = {
  syntax: 'SPATIA_CONFIG_EXPR_SYNTAX',
  type: 'SPATIA_CONFIG_EXPR_TYPE',
  unit: 'SPATIA_CONFIG_UNIT',
  reference: 'SPATIA_CONFIG_REFERENCE',
  unsupported: 'SPATIA_CONFIG_UNSUPPORTED',
};


export interface BuildOptions {
  /**
   * Run every node on its compiled closures, none as a flat program (src/vm). The results are
   * the same; tests compare the two, and benches measure what the programs gain.
   */
  readonly closures?: boolean;
}

/**
 * Compiles a validated deployment into a ready-to-step Engine: resolves every reference, checks
 * types and units, orders patterns and conditions topologically (reporting cycles with their
 * path) and compiles each expression once. Collects every problem instead of stopping.
 */
export function buildEngine(model: DeploymentModel, options: BuildOptions = {}): { engine: Engine | undefined; issues: IssueList } {
  const useClosures = options.closures === true;
  const issues = new IssueList();
  const periodUs = model.runtime.tickUs;
  const ctx = new TickContext(periodUs);
  const sensorIds = new Map(model.sensors.map((s, i) => [s.id, i] as const));
  const zoneIds = new Set(model.zones.map((z) => z.id));
  const report = (src: ExprSource | SourcePos, err: unknown): void => {
    const pos = 'text' in src ? src.pos : src;
    if (err instanceof ExprError) {
      const col = 'text' in src ? src.pos.col + err.at : pos.col;
      issues.error(EXPR_CODES[err.kind], { ...pos, col }, err.message);
    } else {
      issues.error('SPATIA_CONFIG_VALUE', pos, err instanceof Error ? err.message : String(err));
    }
  };

  const zonesOf = sensorZones(model);
  for (const s of sensorsOutsideZones(model)) {
    issues.warn('SPATIA_CONFIG_VALUE', s.pos, `sensor ${s.id} at (${(s.location ?? []).join(', ')}) is outside every zone`);
  }
  const sources = collectSources(model, report, zonesOf);
  const nodeIds = new Map(sources.map((s, i) => [s.id, i] as const));
  const slotCount = model.sensors.length + sources.length;
  const num = new Float64Array(slotCount).fill(NaN);
  const ref = new Array<unknown>(slotCount).fill(undefined);

  const sensors = model.sensors.map((s, i) => buildSensor(s, i, periodUs, (e) => report(s.pos, e)));
  const programs = new ProgramBuilder(num);
  const windows: NonNullable<Scope['windows']> = new Map();
  const spatial = new SpatialContext(model, periodUs, (id) => defaultStaleUs(model.sensors[sensorIds.get(id) ?? -1], periodUs));
  const zoneGeometry = new Map(model.zones.map((z) => [z.id, new ZoneGeometry(z)] as const));

  const ordered = topologicalOrder(sources.map((s) => s.id), (id) => sources[nodeIds.get(id) ?? -1]?.deps ?? []);
  if ('cycle' in ordered) {
    const first = sources[nodeIds.get(ordered.cycle[0] ?? '') ?? -1];
    if (first !== undefined) issues.error('SPATIA_CONFIG_CYCLE', first.pos, `cycle: ${ordered.cycle.join(' -> ')}`);
    return { engine: undefined, issues };
  }

  const compiled = new Map<string, Compiled>();
  const fieldNodes = new Map<string, FieldNode>();
  const nodeSensors = new Map<string, Set<number>>();
  const nodes: GraphNode[] = [];
  for (const id of ordered.order) {
    const src = sources[nodeIds.get(id) ?? -1];
    if (src === undefined) continue;
    const slot = model.sensors.length + (nodeIds.get(id) ?? 0);
    const ops: TemporalOp[] = [];
    let everyTick = false;
    const crossings: Array<readonly [number, boolean]> = [];
    const scope: Scope = {
      ctx,
      periodUs,
      initialSkip: model.runtime.initial === 'skip',
      resolve: (name, at) => {
        const [head = name, ...path] = name.split('.');
        const si = sensorIds.get(head);
        if (si !== undefined) return sensorValue(model.sensors[si] as SensorModel, si, path, num, ref, at);
        const fieldNode = fieldNodes.get(head);
        if (fieldNode !== undefined) {
          if (path.length === 0) throw new ExprError(at, `${head} has several values: write one of its fields, such as ${head}.${fieldNode.fields[0]?.name ?? 'length'}`, 'reference');
          return fieldNode.field(path.join('.'), at);
        }
        const node = compiled.get(head);
        const ni = nodeIds.get(head);
        if (node !== undefined && ni !== undefined) return nodeValue(node, model.sensors.length + ni, num, ref, head, path, at);
        if (zoneIds.has(head)) throw new ExprError(at, `${head} is a zone: use it inside a spatial function such as count_in(${head})`, 'type');
        const hint = suggest(head, [...sensorIds.keys(), ...nodeIds.keys()]);
        throw new ExprError(at, `unknown id "${head}"${hint === undefined ? '' : `; did you mean "${hint}"?`}`, 'reference');
      },
      sensorFunction: (fn, name, at) => {
        const si = sensorIds.get(name);
        const s = si === undefined ? undefined : sensors[si];
        if (s === undefined) throw new ExprError(at, `${fn}() takes a sensor id; "${name}" is not a sensor`, 'reference');
        if (fn === 'stale') {
          return computed('boolean', NO_UNIT, [], (r) => () => {
            r[0] = s.stale ? 1 : 0;
          });
        }
        everyTick = true;
        return computed('number', lookupUnit('s') ?? NO_UNIT, [], (r) => () => {
          r[0] = s.lastGoodTick < 0 ? NaN : tickTimeUs(ctx.tick - s.lastGoodTick, periodUs) / 1e6;
        });
      },
      spatialCall: (name, args, at) => {
        // Entities move on their own: nodes reading them run every tick.
        everyTick = true;
        return compileSpatialCall(name, args, at, {
          spatial,
          sensors: model.sensors,
          zones: zoneGeometry,
          ctx,
          onCrossing: (zone, entering) => crossings.push([zone, entering]),
        });
      },
      aggregateIn: (zone, quantity, at) => {
        if (!zoneIds.has(zone)) throw new ExprError(at, `unknown zone "${zone}"${didYouMean(zone, zoneIds)}`, 'reference');
        // Members can change on any tick: evaluated every tick rather than tracking their slots.
        everyTick = true;
        const members = zoneMembers(zone, quantity, undefined, model.sensors, sensors, zonesOf, at);
        const node = zoneAggregateNode(`${zone}.${quantity}`, members, num);
        return { run: node.run, numbers: node.numbers, unit: members.unit };
      },
      windows,
      addOp: (op) => ops.push(op),
      markTimeVarying: () => (everyTick = true),
    };
    const kind = src.pattern?.kind;
    let built: { value: Compiled; filters: Filter[] } | undefined;
    if (src.pattern !== undefined && kind === 'zone_aggregate') {
      built = compileZoneAggregate(src.pattern, model, sensors, zonesOf, num, fieldNodes, report);
    } else if (src.pattern !== undefined && (kind === 'queue_flow' || kind === 'occupancy_field')) {
      // Their state advances with time and entity crossings: evaluated every tick.
      everyTick = true;
      try {
        const env = { ctx, spatial, zones: zoneGeometry, compile: (text: string) => compileExpr(text, scope), addOp: scope.addOp };
        const node = kind === 'queue_flow' ? queueFlowNode(src.pattern, env) : occupancyNode(src.pattern, env);
        fieldNodes.set(id, node);
        built = { value: node.value(NO_UNIT), filters: [] };
      } catch (err) {
        report(src.pattern.pos, err);
      }
    } else {
      built = compileNode(src, scope, report);
    }
    if (built === undefined) continue;
    compiled.set(id, built.value);
    const inputs = src.deps
      .map((d) => sensorIds.get(d) ?? (nodeIds.has(d) ? model.sensors.length + (nodeIds.get(d) ?? 0) : -1))
      .filter((x) => x >= 0);
    const condition = model.conditions.find((c) => c.id === id);
    const compileActions = (list: readonly ActionModel[]): CompiledAction[] =>
      list.flatMap((a) => {
        try {
          return [compileAction(a, scope)];
        } catch (err) {
          report(a.pos, err);
          return [];
        }
      });
    // Sensors this node depends on, directly or through other nodes (for `auto`).
    const sensorDeps = new Set<number>();
    for (const d of src.deps) {
      const si = sensorIds.get(d);
      if (si !== undefined) sensorDeps.add(si);
      for (const t of nodeSensors.get(d) ?? []) sensorDeps.add(t);
    }
    nodeSensors.set(id, sensorDeps);
    const declared = src.pattern?.mode ?? condition?.mode ?? model.runtime.mode;
    const mode = declared === 'auto' ? autoMode(model.sensors, sensorDeps, periodUs) : declared;
    // Read before the templates compile: age() in a message is read at the edge, not every tick.
    const runsEveryTick = everyTick || built.filters.length > 0;
    const actions = compileActions(condition?.actions ?? []);
    const onFalling = compileActions(condition?.onFalling ?? []);
    const detail = src.kind === 'condition' && src.ast !== undefined ? new EdgeDetail(src.ast, scope, spatial, crossings) : undefined;
    // After everything of the node is compiled: its program must hold all of its operators.
    const program = useClosures ? -1 : programs.add(built.value, ops);
    nodes.push({
      id,
      kind: src.kind,
      valueKind: built.value.kind,
      unit: built.value.unit.name,
      slot,
      run: program >= 0 ? READY : built.value.run,
      out: program >= 0 ? programs.out : built.value.out,
      at: program >= 0 ? 0 : built.value.at,
      ref: built.value.ref,
      program,
      ops: program >= 0 ? [] : ops,
      mode,
      everyTick: runsEveryTick,
      inputs,
      filters: built.filters,
      detail,
      actions,
      onFalling,
    });
  }
  if (issues.hasErrors) return { engine: undefined, issues };
  return { engine: new Engine({ model, ctx, num, ref, sensors, nodes, spatial, programs: programs.finish() }), issues };
}

function compileNode(
  src: NodeSource,
  scope: Scope,
  report: (src: ExprSource | SourcePos, err: unknown) => void,
): { value: Compiled; filters: Filter[] } | undefined {
  // A parse error was reported when the sources were collected.
  if (src.ast === undefined || src.expr === undefined) return undefined;
  let value: Compiled;
  try {
    value = compileAst(src.ast, scope);
  } catch (err) {
    report(src.expr, err);
    return undefined;
  }
  if (src.kind === 'condition' && value.kind !== 'boolean' && value.kind !== 'json') {
    report(src.expr, new ExprError(0, `when: must be a condition (true/false), but this is a ${value.kind}`, 'type'));
    return undefined;
  }
  let filters: Filter[] = [];
  const p = src.pattern;
  if (p !== undefined && p.kind === 'filter') {
    if (value.kind !== 'number') {
      report(src.expr, new ExprError(0, 'a filter pattern needs a numeric input', 'type'));
      return undefined;
    }
    try {
      filters = p.filters.map(createFilter);
    } catch (err) {
      report(p.pos, err);
      return undefined;
    }
  }
  if (p?.unit !== undefined) {
    const u = lookupUnit(p.unit);
    if (u !== undefined) value = { ...value, unit: u };
  }
  return { value, filters };
}

function compileAction(a: ActionModel, scope: Scope): CompiledAction {
  try {
    switch (a.kind) {
      case 'log':
        return { model: a, message: compileTemplate(a.message, scope), payload: undefined };
      case 'mqtt':
        return { model: a, message: compileTemplate(a.topic, scope), payload: compileJson(a.payload, scope) };
      case 'http':
        return { model: a, message: undefined, payload: compileJson(a.body, scope) };
      default:
        return { model: a, message: undefined, payload: undefined };
    }
  } catch (err) {
    if (err instanceof ExprError) throw new ExprError(err.at, `in a template: ${err.message}`, err.kind);
    throw err;
  }
}

