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
  private dirty: number[] = [];

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
    this.dirty = [];
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
      (this.enteredBy[z] as string[]).sort(byCodeUnit);
      (this.exitedBy[z] as string[]).sort(byCodeUnit);
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

/** Code-unit order: locale-independent, so every machine sorts ids the same way. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
