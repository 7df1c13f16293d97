import type { JsonValue } from '../../config/model.js';
import type { ActionOutcome } from '../action-runner.js';
import { EXPECTED_RESULT, readCommands } from './callback-commands.js';
import type { ThreadEnd } from './callback-thread.js';

/** Who a message is about: `callback onHot in /home/pi/callbacks/alert.mjs`, plus record fields. */
export interface CallbackLabel {
  readonly text: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export function callbackLabel(module: string, exportName: string): CallbackLabel {
  return { text: `callback ${exportName} in ${module}`, detail: { module, export: exportName } };
}

/** A failed callback (SPATIA_ACTION_FAILED); `reason` is one of the documented short words. */
export function failed(label: CallbackLabel, reason: string, error: string, extra?: Record<string, unknown>): ActionOutcome {
  return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason, error: `${label.text} ${error}`, detail: extra ? { ...label.detail, ...extra } : label.detail };
}

export function timedOut(label: CallbackLabel, timeoutMs: number): ActionOutcome {
  return {
    status: 'timeout',
    code: 'SPATIA_ACTION_FAILED',
    reason: 'timeout',
    error: `${label.text} ran past its timeout of ${timeoutMs} ms; its worker was terminated and replaced`,
    detail: { ...label.detail, timeout_ms: timeoutMs },
  };
}

/** The outcome of a task whose worker ended under it. */
export function endedOutcome(label: CallbackLabel, end: ThreadEnd, memoryLimitMb: number): ActionOutcome {
  switch (end.kind) {
    case 'memory':
      return failed(label, 'memory', `exhausted its memory limit of ${memoryLimitMb} MB; its worker was replaced`, { memory_limit_mb: memoryLimitMb });
    case 'exit':
      return failed(label, 'exit', `ended its worker with process.exit(${end.code}); the worker was replaced`, { exit_code: end.code });
    case 'crash':
      return failed(label, 'threw', `threw outside its call (a timer or a floating promise): ${clip(end.name, 200)}: ${clip(end.message, 2000)}; its worker was replaced`);
  }
}

/** The outcome of a call whose worker died before it was ready (a limit too small to start). */
export function bootFailure(label: CallbackLabel, end: ThreadEnd): ActionOutcome {
  const why = end.kind === 'exit' ? `exit code ${end.code}` : end.message;
  return failed(label, end.kind === 'memory' ? 'memory' : 'exit', `could not run: a callback worker could not start (${why})`);
}

/**
 * Turns a worker's reply to a task into an outcome. The reply comes from a thread that runs user
 * code, so nothing about its shape is assumed: anything unexpected is `garbage`.
 */
export function replyOutcome(label: CallbackLabel, reply: Readonly<Record<string, unknown>>): ActionOutcome {
  if (reply['ok'] === true) {
    const json = reply['json'];
    if (json === undefined) return { status: 'ok', detail: label.detail };
    if (typeof json !== 'string') return failed(label, 'garbage', 'sent a malformed reply');
    let value: JsonValue;
    try {
      value = JSON.parse(json) as JsonValue;
    } catch {
      return failed(label, 'garbage', 'sent a reply that is not JSON');
    }
    const read = readCommands(value);
    if ('error' in read) return failed(label, 'garbage', read.error);
    return read.commands.length === 0 ? { status: 'ok', detail: label.detail } : { status: 'ok', detail: label.detail, commands: read.commands };
  }
  const kind = reply['kind'];
  const name = clip(reply['name'], 200);
  const message = clip(reply['message'], 2000);
  const stack = typeof reply['stack'] === 'string' ? { stack: clip(reply['stack'], 4000) } : undefined;
  switch (kind) {
    case 'threw':
      return failed(label, 'threw', `threw ${name}: ${message}`, stack);
    case 'load':
      return failed(label, 'load', `cannot run: ${message}`, stack);
    case 'garbage':
      return failed(label, 'garbage', `${message}; expected ${EXPECTED_RESULT}`);
    default:
      return failed(label, 'garbage', 'sent a malformed reply');
  }
}

function clip(v: unknown, max: number): string {
  const s = typeof v === 'string' ? v : String(v);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}
