/** One tracked entity in a snapshot. */
export interface EntitySnapshot {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** null for a 2-D position (JSON has no NaN). */
  readonly z: number | null;
  /** The last tick the entity was reported. */
  readonly seenTick: number;
  /** `[zone index, tick it entered]`, zone indices ascending. */
  readonly zones: ReadonlyArray<readonly [number, number]>;
}

/** {@link EntityTracker}'s state as plain JSON. */
export interface EntityTrackerSnapshot {
  /** Number of zones the indices refer to; a restore against another zone set is refused. */
  readonly zoneCount: number;
  readonly version: number;
  readonly rejected: number;
  /** Sorted by id. */
  readonly entities: readonly EntitySnapshot[];
  /** The last update's events: `[zone, entered ids, exited ids]`, zones ascending. */
  readonly events: ReadonlyArray<readonly [number, readonly string[], readonly string[]]>;
}

/**
 * Checks that `state` is an {@link EntityTrackerSnapshot} for `zoneCount` zones.
 *
 * @throws Error naming the first bad field, so a corrupt checkpoint is reported rather than
 *   restored into a tracker that would later misbehave.
 */
export function parseEntityTrackerSnapshot(state: unknown, zoneCount: number): EntityTrackerSnapshot {
  const s = record(state, 'entity tracker snapshot');
  if (s['zoneCount'] !== zoneCount) {
    throw new Error(`entity tracker snapshot: it was taken with ${String(s['zoneCount'])} zones, this tracker has ${zoneCount}`);
  }
  const isZone = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < zoneCount;
  const entities = list(s['entities'], 'entities').map((e, i): EntitySnapshot => {
    const r = record(e, `entities[${i}]`);
    const at = `entities[${i}]`;
    const id = r['id'];
    if (typeof id !== 'string' || id === '') fail(`${at}.id`);
    const z = r['z'];
    if (z !== null && !isFiniteNumber(z)) fail(`${at}.z`);
    const zones = list(r['zones'], `${at}.zones`).map((m, j): readonly [number, number] => {
      if (!Array.isArray(m) || m.length !== 2 || !isZone(m[0]) || !isFiniteNumber(m[1])) fail(`${at}.zones[${j}]`);
      return [m[0] as number, m[1] as number];
    });
    for (let j = 1; j < zones.length; j++) {
      if ((zones[j] as readonly [number, number])[0] <= (zones[j - 1] as readonly [number, number])[0]) fail(`${at}.zones (not ascending)`);
    }
    return { id, x: finite(r['x'], `${at}.x`), y: finite(r['y'], `${at}.y`), z, seenTick: finite(r['seenTick'], `${at}.seenTick`), zones };
  });
  const ids = new Set(entities.map((e) => e.id));
  if (ids.size !== entities.length) fail('entities (duplicate id)');
  const events = list(s['events'], 'events').map((ev, i): readonly [number, string[], string[]] => {
    if (!Array.isArray(ev) || ev.length !== 3 || !isZone(ev[0])) fail(`events[${i}]`);
    return [ev[0] as number, strings(ev[1], `events[${i}][1]`), strings(ev[2], `events[${i}][2]`)];
  });
  return { zoneCount, version: finite(s['version'], 'version'), rejected: finite(s['rejected'], 'rejected'), entities, events };
}

function fail(what: string): never {
  throw new Error(`entity tracker snapshot: bad ${what}`);
}

function record(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(what);
  return v as Record<string, unknown>;
}

function list(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) fail(what);
  return v;
}

function strings(v: unknown, what: string): string[] {
  const l = list(v, what);
  if (!l.every((s) => typeof s === 'string')) fail(what);
  return l as string[];
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function finite(v: unknown, what: string): number {
  if (!isFiniteNumber(v)) fail(what);
  return v;
}
