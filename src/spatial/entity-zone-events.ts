const NONE: readonly string[] = Object.freeze([]);

/**
 * The ids that entered and exited each zone during one tick.
 *
 * Zones without events share one frozen empty array, and a zone's arrays are replaced (never
 * emptied in place) when the next tick begins, so an array a caller got stays valid and unchanged
 * after later ticks, while a quiet tick allocates nothing.
 */
export class EntityZoneEvents {
  private readonly enteredBy: (readonly string[])[];
  private readonly exitedBy: (readonly string[])[];
  /** Zones with at least one event this tick, in first-event order; each listed once. */
  private readonly dirty: number[] = [];

  constructor(zoneCount: number) {
    this.enteredBy = new Array<readonly string[]>(zoneCount).fill(NONE);
    this.exitedBy = new Array<readonly string[]>(zoneCount).fill(NONE);
  }

  /** Forgets the previous tick's events. Returns whether there were any (an observable change). */
  clear(): boolean {
    if (this.dirty.length === 0) return false;
    for (const z of this.dirty) {
      this.enteredBy[z] = NONE;
      this.exitedBy[z] = NONE;
    }
    this.dirty.length = 0;
    return true;
  }

  addEntered(zone: number, id: string): void {
    this.list(this.enteredBy, zone).push(id);
  }

  addExited(zone: number, id: string): void {
    this.list(this.exitedBy, zone).push(id);
  }

  /** Sorts this tick's lists by id (code-unit order), so output never depends on input order. */
  finish(): void {
    for (const z of this.dirty) {
      sortIds(this.enteredBy[z] as string[]);
      sortIds(this.exitedBy[z] as string[]);
    }
  }

  entered(zone: number): readonly string[] {
    return this.enteredBy[zone] ?? NONE;
  }

  exited(zone: number): readonly string[] {
    return this.exitedBy[zone] ?? NONE;
  }

  /** `[zone, entered ids, exited ids]` for each zone with events, zones ascending. */
  snapshot(): Array<[number, string[], string[]]> {
    return [...this.dirty].sort((a, b) => a - b).map((z) => [z, [...this.entered(z)], [...this.exited(z)]]);
  }

  /** Replaces all events; the caller has validated zone indices and ids. */
  restore(events: ReadonlyArray<readonly [number, readonly string[], readonly string[]]>): void {
    this.clear();
    for (const [z, entered, exited] of events) {
      for (const id of entered) this.addEntered(z, id);
      for (const id of exited) this.addExited(z, id);
    }
    this.finish();
  }

  private list(lists: (readonly string[])[], zone: number): string[] {
    if (lists[zone] === NONE) {
      if (this.enteredBy[zone] === NONE && this.exitedBy[zone] === NONE) this.dirty.push(zone);
      lists[zone] = [];
    }
    return lists[zone] as string[];
  }
}

/**
 * Sorts ids in code-unit order in place. A tick's lists are mostly a handful of ids: insertion sort
 * handles those without the scratch memory Array.prototype.sort allocates; equal ids are
 * indistinguishable, so any correct sort gives the same result.
 */
function sortIds(ids: string[]): void {
  if (ids.length > 16) {
    ids.sort(byCodeUnit);
    return;
  }
  for (let i = 1; i < ids.length; i++) {
    const id = ids[i] as string;
    let j = i - 1;
    for (; j >= 0 && (ids[j] as string) > id; j--) ids[j + 1] = ids[j] as string;
    ids[j + 1] = id;
  }
}

/** Code-unit order: locale-independent, so every machine sorts ids the same way. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
