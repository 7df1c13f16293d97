/**
 * Checks for filter snapshots handed to `restore`: a checkpoint from another version or another
 * filter model must fail loudly, never restore half a state.
 */
export class FilterState {
  private readonly rec: Record<string, unknown>;

  /** @throws Error when `state` is not a plain object. */
  constructor(
    state: unknown,
    private readonly filter: string,
  ) {
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new Error(`invalid ${filter} filter snapshot: expected an object`);
    }
    this.rec = state as Record<string, unknown>;
  }

  number(key: string): number {
    const v = this.rec[key];
    if (typeof v !== 'number') throw new Error(`invalid ${this.filter} filter snapshot: '${key}' must be a number`);
    return v;
  }

  /** A number or `null` (JSON's stand-in for "none yet"). */
  numberOrNull(key: string): number | null {
    const v = this.rec[key];
    return v === null ? null : this.number(key);
  }

  boolean(key: string): boolean {
    const v = this.rec[key];
    if (typeof v !== 'boolean') throw new Error(`invalid ${this.filter} filter snapshot: '${key}' must be a boolean`);
    return v;
  }

  raw(key: string): unknown {
    return this.rec[key];
  }
}
