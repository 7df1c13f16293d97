/**
 * What every bench reports besides its human-readable lines: figures, each beside the target
 * an issue set for it. `node BENCH.js --json` prints them as one JSON line after everything else
 * ({@link emitFigures}); `bench-all` runs each bench that way and prints one table.
 */

/** A figure must be `op value` to meet its target (`<= 100` µs/tick, `>= 20000` msg/s). */
export interface Target {
  readonly op: '<=' | '<' | '>=' | '>';
  readonly value: number;
}

export interface Figure {
  /** Stable key for machines (`eval.1k.poll.all`). */
  readonly id: string;
  /** The table section it belongs to (`evaluation per tick`). */
  readonly group: string;
  /** What was measured, for a person. */
  readonly name: string;
  /** The measurement; null when it was not taken (see `skipped` / `failed`). */
  readonly value: number | null;
  readonly unit: string;
  /** Absent for figures shown for context only. */
  readonly target?: Target;
  /** Context that changes how to read the value (GCs seen, a lower bound, ...). */
  readonly note?: string;
  /** Why it was not measured here (no broker installed, ...): not a failure. */
  readonly skipped?: string;
  /** The bench crashed or printed nothing readable. */
  readonly failed?: string;
}

/** The line `--json` prints last: `{"figures": [...]}`. */
export interface FigureLine {
  readonly figures: readonly Figure[];
}

/** BENCH_QUICK=1: every bench at a fraction of its size, a smoke run of the whole suite. */
export const QUICK = process.env['BENCH_QUICK'] === '1';

/** `full` normally, `quick` under BENCH_QUICK=1. */
export function sized<T>(full: T, quick: T): T {
  return QUICK ? quick : full;
}

export const JSON_FLAG = '--json';

/** Prints the figures as the last stdout line when the bench was started with `--json`. */
export function emitFigures(figures: readonly Figure[], argv: readonly string[] = process.argv): void {
  if (argv.includes(JSON_FLAG)) process.stdout.write(`${JSON.stringify({ figures } satisfies FigureLine)}\n`);
}

/** Builds figures of one group with less repetition. */
export function figureGroup(group: string, into: Figure[]): (f: Omit<Figure, 'group'>) => void {
  return (f) => {
    into.push({ group, ...f });
  };
}
