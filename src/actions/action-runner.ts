import type { JsonValue } from '../config/model.js';
import type { ErrorCode } from '../core/errors.js';
import type { ActionRequest } from '../core/engine.js';

/**
 * The port every action kind implements in `spatia run` (mqtt through the outbox, gpio outputs,
 * callbacks on worker threads, http webhooks, log). The dispatcher (action-dispatcher.ts) applies
 * `action_mode` per condition and turns outcomes into `action` records; runners never see the
 * tick, and the tick never awaits a runner.
 *
 * Contract:
 * - `run` resolves with an ActionOutcome and never rejects; a failure is an outcome with a code.
 * - `run` honours `signal`: when it aborts (`action_mode: restart`, shutdown), the runner stops
 *   what it can (terminates a callback's worker, cancels an http retry) and resolves soon with
 *   status `failed` and reason `aborted`.
 * - Runners are created once per run and closed once (`close()` never rejects and leaves no timer,
 *   worker or socket behind).
 */
export interface ActionRunner {
  run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome>;
  close(): Promise<void>;
}

/** One action to carry out, with what its templates rendered and why it fires. */
export interface ActionJob {
  readonly request: ActionRequest;
  /** The edge record that caused it (`{t, tick, type: 'edge', id, edge, inputs?, ...}`). */
  readonly edge: Readonly<Record<string, unknown>>;
  /** Current values of the condition's inputs at the edge's tick, by name (`lobby_env.avg`). */
  readonly inputs: Readonly<Record<string, JsonValue>>;
}

/**
 * What became of an action. `detail` fields are added to the `action` record (topic, event_id,
 * pin, http status, ...). A callback may return `commands` for the runtime to carry out.
 */
export type ActionOutcome =
  | { readonly status: 'ok'; readonly detail?: Readonly<Record<string, unknown>>; readonly commands?: readonly ActionCommand[] }
  | {
      readonly status: 'failed' | 'timeout';
      readonly code: ErrorCode;
      /** Short machine-readable reason: `threw`, `timeout`, `exit`, `memory`, `aborted`, `garbage`, `http 500`, ... */
      readonly reason: string;
      readonly error: string;
      readonly detail?: Readonly<Record<string, unknown>>;
    };

/** What a callback may ask the runtime to do, validated before anything is carried out. */
export type ActionCommand =
  | { readonly publish: { readonly topic: string; readonly payload: JsonValue; readonly qos?: 0 | 1 | 2; readonly retain?: boolean } }
  | { readonly gpio: { readonly pin: number; readonly value: 0 | 1; readonly chip?: string } }
  | { readonly log: { readonly message: string; readonly level?: 'info' | 'warn' | 'error' } };
