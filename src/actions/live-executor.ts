import type { ActionRequest } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import { simulateAction } from './sim-executor.js';

/**
 * Carries out actions in `spatia run`. `log` actions run (their message goes into the event log,
 * as in `sim`). The kinds that reach the outside world (mqtt through the durable outbox, gpio
 * outputs, callbacks on worker threads, http) are not in this version: each is reported as a
 * failed action with the reason, never silently dropped and never pretended.
 */
export function runAction(a: ActionRequest): EventRecord {
  const r = simulateAction(a);
  if (a.action.model.kind === 'log') return r;
  delete r['simulated'];
  r['status'] = 'failed';
  r['code'] = 'SPATIA_ACTION_FAILED';
  r['error'] = `${a.action.model.kind} actions are not carried out by "spatia run" in this version (spatia sim records them)`;
  return r;
}
