/**
 * The time of a sample, `at[0]`, in integer microseconds since the run began, held in a one-slot
 * Float64Array that the sampler fills once per tick.
 *
 * The per-sensor calls of the sampling path take the time this way rather than as a number: past
 * 2^30 us (about 18 minutes) a time is no small integer, and V8 passes such a number to a call it
 * has not inlined as a new heap number, once per sensor per tick. Whether it inlines depends on
 * the order in which it optimises things, so only a path that never passes one stays
 * allocation-free in every run.
 */
export type SampleTime = Float64Array;

/** A new SampleTime holding `tUs`. */
export function sampleTime(tUs = 0): SampleTime {
  const at = new Float64Array(1);
  at[0] = tUs;
  return at;
}
