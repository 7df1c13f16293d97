import { createHash } from 'node:crypto';
import type { Engine, EngineState } from '../core/engine.js';
import { definitionHashes } from '../persistence/config-hash.js';

/**
 * What an engine snapshot's arrays mean: which sensor and node each index is, and the state hash
 * of each (see definitionHashes). Stored beside the snapshot in checkpoints, so that state taken
 * under one configuration can be carried into an engine built from another, by id.
 */
export interface EngineLayout {
  /** Sensor ids by index; sensor i's value is in slot i. */
  readonly sensors: readonly string[];
  /** Node (pattern or condition) ids by node index, with their value slot. */
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly slot: number }>;
  /** State hash per sensor, pattern and condition id. */
  readonly hashes: Readonly<Record<string, string>>;
  /** Hash of what entity tracking depends on (zones and entity feeds). */
  readonly spatial: string;
}

/** The layout of `engine`'s snapshots. */
export function engineLayout(engine: Engine): EngineLayout {
  const h = definitionHashes(engine.model);
  const hashes: Record<string, string> = {};
  for (const table of [h.sensors, h.patterns, h.conditions]) for (const [id, v] of Object.entries(table)) hashes[id] = v.state;
  const spatialParts = [
    ...Object.entries(h.zones).map(([id, v]) => `${id}=${v.state}`),
    ...engine.model.sensors.filter((s) => s.kind === 'entities').map((s) => `${s.id}=${h.sensors[s.id]?.state ?? ''}`),
  ];
  return {
    sensors: engine.sensors.map((s) => s.id),
    nodes: engine.nodes.map((n) => ({ id: n.id, slot: n.slot })),
    hashes,
    spatial: createHash('sha256').update(spatialParts.join('\n')).digest('hex'),
  };
}

/** What {@link carryEngineState} kept and what starts fresh. */
export interface CarriedState {
  /** A snapshot for the new engine's `restore`. */
  readonly state: unknown;
  /** Patterns and conditions whose state was carried over. */
  readonly kept: readonly string[];
  /** Patterns and conditions that start fresh: new, or changed (themselves or what they read). */
  readonly fresh: readonly string[];
  /** Patterns and conditions of the old state that the new configuration no longer has. */
  readonly removed: readonly string[];
  /** Sensors whose health and filter state start fresh. */
  readonly freshSensors: readonly string[];
  /** Whether entity tracking (positions, zone memberships) was carried over. */
  readonly spatialKept: boolean;
}

/**
 * Carries `state` (an engine snapshot with the layout `from`) into `to`, an engine of a possibly
 * changed configuration: every sensor, pattern and condition whose state hash is unchanged keeps
 * its value, operators, filters, edge state and event-mode deadline; the rest keep `to`'s fresh
 * state. Nothing is carried by position: ids decide, so reordering a file changes nothing.
 */
export function carryEngineState(state: unknown, from: EngineLayout, to: Engine): CarriedState {
  const old = state as EngineState;
  const next = to.snapshot() as EngineState;
  const target = engineLayout(to);
  const same = (id: string): boolean => from.hashes[id] !== undefined && from.hashes[id] === target.hashes[id];

  const oldSensor = new Map(from.sensors.map((id, i) => [id, i] as const));
  const freshSensors: string[] = [];
  target.sensors.forEach((id, i) => {
    const j = oldSensor.get(id);
    if (j === undefined || !same(id)) {
      freshSensors.push(id);
      return;
    }
    next.num[i] = old.num[j] ?? null;
    next.ref[i] = old.ref[j] ?? null;
    next.sensors[i] = old.sensors[j];
  });

  const oldNode = new Map(from.nodes.map((n, i) => [n.id, { i, slot: n.slot }] as const));
  const kept: string[] = [];
  const fresh: string[] = [];
  target.nodes.forEach((n, i) => {
    const o = oldNode.get(n.id);
    if (o === undefined || !same(n.id)) {
      fresh.push(n.id);
      return;
    }
    kept.push(n.id);
    next.num[n.slot] = old.num[o.slot] ?? null;
    next.ref[n.slot] = old.ref[o.slot] ?? null;
    next.due[i] = old.due[o.i] ?? null;
    next.isTrue[i] = old.isTrue[o.i] ?? 0;
    next.established[i] = old.established[o.i] ?? 0;
    next.nodes[i] = old.nodes[o.i] ?? { ops: [], filters: [] };
  });
  const targetIds = new Set(target.nodes.map((n) => n.id));
  const removed = from.nodes.filter((n) => !targetIds.has(n.id)).map((n) => n.id);

  const spatialKept = from.spatial === target.spatial;
  if (spatialKept) next.spatial = old.spatial;
  return { state: next, kept, fresh, removed, freshSensors, spatialKept };
}
