import type { ActionModel } from '../../config/model.js';
import type { ActionJob, ActionOutcome } from '../action-runner.js';
import type { CallbackLabel } from './callback-outcomes.js';
import type { CallbackThread, Posted } from './callback-thread.js';

/** Timers for callback deadlines, injectable like the clock (DESIGN §1). */
export interface CallbackTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Deadlines never keep the process alive on their own: the busy worker does. */
export const NODE_TIMERS: CallbackTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** What crosses to the worker for one call (see callback-worker-source.ts). */
export interface TaskMessage {
  readonly id: number;
  /** Set by the thread it is posted to. */
  slot: number;
  readonly module: string;
  readonly exportName: string;
  readonly event: unknown;
}

/** One call of a callback, from `run` until its outcome is settled (exactly once). */
export interface CallbackTask {
  readonly id: number;
  /** `module\0export`: what a worker must have imported to run it. */
  readonly key: string;
  readonly message: TaskMessage;
  readonly timeoutMs: number;
  readonly label: CallbackLabel;
  readonly signal: AbortSignal;
  readonly resolve: (o: ActionOutcome) => void;
  readonly onAbort: () => void;
  /** Where it is posted now (both undefined while queued). */
  thread: CallbackThread<CallbackTask> | undefined;
  at: Posted<CallbackTask> | undefined;
  /** The running deadline: set only while the task heads its worker's line. */
  timer: unknown;
  settled: boolean;
}

/** A task for one `run`, not yet queued. The event is plain JSON: structured clone carries it. */
export function createTask(
  id: number,
  model: Extract<ActionModel, { kind: 'callback' }>,
  job: ActionJob,
  label: CallbackLabel,
  signal: AbortSignal,
  resolve: (o: ActionOutcome) => void,
  onAbort: () => void,
): CallbackTask {
  const { t, tick, condition } = job.request;
  return {
    id,
    key: `${model.module}\0${model.exportName}`,
    message: { id, slot: 0, module: model.module, exportName: model.exportName, event: { edge: job.edge, inputs: job.inputs, condition, t, tick } },
    timeoutMs: Math.max(1, Math.ceil(model.timeoutUs / 1000)),
    label,
    signal,
    resolve,
    onAbort,
    thread: undefined,
    at: undefined,
    timer: undefined,
    settled: false,
  };
}
