import type { Filter } from '../../../../src/sensors/filters/filter.js';

/** One input to a filter: a good reading `[value, tUs]`, or an idle tick `['idle', tUs]`. */
export type FilterInput = readonly [number, number] | readonly ['idle', number];

/** Feeds inputs in order and collects what each push or idle returned. */
export function runFilter(filter: Filter, inputs: readonly FilterInput[]): Array<number | undefined> {
  return inputs.map(([v, t]) => (v === 'idle' ? filter.idle(t) : filter.push(v, t)));
}

/** `[value, tUs]` pushes at a steady period, starting at t = 0. */
export function pushes(values: readonly number[], periodUs: number): FilterInput[] {
  return values.map((v, i) => [v, i * periodUs] as const);
}
