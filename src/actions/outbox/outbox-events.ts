import type { ErrorCode } from '../../core/errors.js';
import type { TransportEvent } from '../../sensors/live/source.js';

/**
 * What the outbox tells the run, shaped as event-log records without `t` and `tick` (the run
 * adds them): `{"type":"outbox","status":"dropped","count":12,...}`. Never carries a secret.
 * - `opened`: at start, what waits from the last run;
 * - `truncated`: a torn or damaged segment tail was cut at the last good record;
 * - `dropped`: records removed before delivery, counted exactly (`full`: oldest first to stay
 *   under outbox_max_bytes; `unreadable`: damaged on disk);
 * - `rejected`: the broker refused a record (MQTT 5 reason code); it is not sent again;
 * - `error`: a file-system failure (disk full, I/O error);
 * - `transport` records: the outbox's connection (`connected`, `disconnected`, `error`).
 */
export type OutboxEvent =
  | ({ readonly type: 'transport' } & TransportEvent)
  | {
      readonly type: 'outbox';
      readonly status: 'opened';
      readonly pending: number;
      readonly bytes: number;
      readonly next_event_id: string;
      readonly message: string;
    }
  | {
      readonly type: 'outbox';
      readonly status: 'truncated';
      readonly code: ErrorCode;
      readonly segment: string;
      readonly offset: number;
      readonly bytes: number;
      readonly message: string;
    }
  | {
      readonly type: 'outbox';
      readonly status: 'dropped';
      readonly code: ErrorCode;
      readonly reason: 'full' | 'unreadable';
      readonly count: number;
      readonly first_event_id: string;
      readonly last_event_id: string;
      readonly message: string;
    }
  | {
      readonly type: 'outbox';
      readonly status: 'rejected';
      readonly code: ErrorCode;
      readonly event_id: string;
      readonly topic: string;
      readonly message: string;
    }
  | { readonly type: 'outbox'; readonly status: 'error'; readonly code: ErrorCode; readonly message: string };
