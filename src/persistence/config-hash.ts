import { createHash } from 'node:crypto';
import type { DeploymentModel } from '../config/model.js';
import { collectSources } from '../core/graph-sources.js';

/**
 * Hash of a configuration as it affects what the runtime does: the DeploymentModel as stable JSON
 * (keys sorted) without source positions, the file's path and `runtime.state_dir` (moving a file
 * or its state changes nothing). Hex SHA-256. Stamped into journal segments and checkpoints so
 * that recovery can tell whether the configuration changed since they were written.
 */
export function hashConfig(model: DeploymentModel): string {
  // Undefined members vanish from the JSON.
  return sha256(stableJson({ ...model, file: undefined, runtime: { ...model.runtime, stateDir: undefined } }));
}

/** Hashes of one sensor, zone, pattern or condition. */
export interface NodeHashes {
  /** Its definition as written (positions aside): any edit changes it. */
  readonly definition: string;
  /**
   * What its evaluation state depends on: the parts of its definition that shape its values
   * (expression, `for`, filters, parameters, not actions or mode), the tick period, and the state
   * hashes of everything it reads, transitively. Equal state hash = its checkpointed state is
   * still valid under the new configuration.
   */
  readonly state: string;
}

export interface DefinitionHashes {
  readonly sensors: Readonly<Record<string, NodeHashes>>;
  readonly zones: Readonly<Record<string, NodeHashes>>;
  readonly patterns: Readonly<Record<string, NodeHashes>>;
  readonly conditions: Readonly<Record<string, NodeHashes>>;
}

/**
 * Per-node hashes, so that after a configuration change the runtime can keep the state of the
 * conditions and patterns whose state hash did not change and start the others fresh.
 *
 * Dependencies are over-approximated where exact membership needs geometry: a zone aggregate
 * depends on its zone and on every sensor of its quantity; anything that names a zone depends on
 * every located or entity sensor. Erring that way only restarts state that could have been kept.
 */
export function definitionHashes(model: DeploymentModel): DefinitionHashes {
  const own = new Map<string, string>();
  const deps = new Map<string, readonly string[]>();
  const located = model.sensors.filter((s) => s.location !== undefined || s.kind === 'entities').map((s) => s.id);
  const zoneIds = new Set(model.zones.map((z) => z.id));
  for (const s of model.sensors) {
    own.set(s.id, stableJson({ valueType: s.valueType, unit: s.unit, sampleEveryUs: s.sampleEveryUs, staleAfterUs: s.staleAfterUs, filters: s.filters, location: s.location, quantity: s.quantity }));
    deps.set(s.id, []);
  }
  for (const z of model.zones) {
    own.set(z.id, stableJson({ polygon: z.polygon, height: z.height, parent: z.parent }));
    deps.set(z.id, located);
  }
  const sources = collectSources(model, () => undefined, new Map());
  for (const src of sources) {
    const p = src.pattern;
    const c = model.conditions.find((x) => x.id === src.id);
    own.set(src.id, stableJson(p !== undefined ? { kind: p.kind, expr: p.expr?.text, filters: p.filters, params: p.params, unit: p.unit } : { when: c?.when.text, forUs: c?.forUs }));
    const d = new Set(src.deps);
    if (p?.kind === 'zone_aggregate') {
      d.add(String(p.params['zone']));
      for (const s of model.sensors) if (s.quantity === p.params['quantity']) d.add(s.id);
    }
    for (const id of [...d]) if (zoneIds.has(id)) located.forEach((s) => d.add(s));
    deps.set(src.id, [...d].sort());
  }
  const state = new Map<string, string>();
  const stateOf = (id: string, path: Set<string>): string => {
    const done = state.get(id);
    if (done !== undefined) return done;
    // A cycle is a configuration error; hash what is known rather than recurse forever.
    if (path.has(id)) return 'cycle';
    path.add(id);
    const inputs = (deps.get(id) ?? []).filter((d) => own.has(d)).map((d) => `${d}=${stateOf(d, path)}`);
    path.delete(id);
    const h = sha256(stableJson({ tickUs: model.runtime.tickUs, own: own.get(id), inputs }));
    state.set(id, h);
    return h;
  };
  const table = <T extends { id: string }>(items: readonly T[]): Record<string, NodeHashes> => {
    const out: Record<string, NodeHashes> = {};
    for (const item of items) out[item.id] = { definition: sha256(stableJson(item)), state: stateOf(item.id, new Set()) };
    return out;
  };
  return { sensors: table(model.sensors), zones: table(model.zones), patterns: table(model.patterns), conditions: table(model.conditions) };
}

/** JSON with object keys sorted at every level and `pos` members dropped. */
export function stableJson(v: unknown): string {
  return JSON.stringify(sortKeys(v)) ?? 'null';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    if (k === 'pos') continue;
    out[k] = sortKeys((v as Record<string, unknown>)[k]);
  }
  return out;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
