import { StepPhase } from '../core/engine.js';

/**
 * The phases of one tick (SPEC §4.1), as the profiler accounts for them: the engine's own
 * (`StepPhase`) with the sampling before and the dispatch and journal work after.
 */
export const TickPhase = {
  /** Sensors read (live: awaited; sim: the mock signals computed). */
  Read: 0,
  ...StepPhase,
  /** Actions handed to the executor and the tick's records formatted for the log. */
  Dispatch: 5,
  /** The tick's input appended to the journal (the disk write happens off the tick). */
  Journal: 6,
} as const;
export type TickPhase = (typeof TickPhase)[keyof typeof TickPhase];

export const PHASE_COUNT = 7;

/** Names in report order, indexed by TickPhase. */
export const PHASE_NAMES: readonly string[] = ['read', 'sensors', 'spatial', 'patterns', 'conditions', 'dispatch', 'journal'];

