import type { ActionRequest } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';

/**
 * Carries out actions in `spatia sim`: `log` for real (its message goes into the log), every other
 * kind recorded with what it would have sent, marked `simulated`, without touching hardware or a
 * broker. Deterministic, so simulated logs stay byte-identical.
 */
export function simulateAction(a: ActionRequest): EventRecord {
  const m = a.action.model;
  const r: EventRecord = {
    t: a.t,
    tick: a.tick,
    type: 'action',
    condition: a.condition,
    edge: a.edge,
    index: a.index,
    action: m.kind,
    status: 'ok',
  };
  switch (m.kind) {
    case 'log':
      r['level'] = m.level;
      r['message'] = a.message;
      break;
    case 'mqtt':
      r['simulated'] = true;
      r['topic'] = a.message;
      r['payload'] = a.payload;
      r['qos'] = m.qos;
      break;
    case 'gpio':
      r['simulated'] = true;
      r['pin'] = m.pin;
      r['value'] = m.value;
      break;
    case 'callback':
      r['simulated'] = true;
      r['module'] = m.module;
      r['export'] = m.exportName;
      break;
    case 'http':
      r['simulated'] = true;
      r['url'] = m.url;
      r['body'] = a.payload;
      break;
  }
  return r;
}
