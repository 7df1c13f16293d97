import { hostname } from 'node:os';

/** How the outbox commits, delivers and closes. Every field has a default (DEFAULT_OUTBOX_TUNING). */
export interface OutboxTuning {
  /** Group commit: a message is fsynced at most this long after it was queued. */
  readonly commitIntervalMs: number;
  /** ...or as soon as this many bytes wait for the fsync. */
  readonly commitMaxBytes: number;
  /** Acknowledged positions reach the cursor file at most this often (fewer SD card writes). */
  readonly cursorIntervalMs: number;
  /** Segment file size; 0: derived from outbox_max_bytes (1/16 of it, between 4 KiB and 4 MiB). */
  readonly segmentBytes: number;
  /** Publishes awaiting their ack at once (also bounded by the broker's Receive Maximum). */
  readonly maxInFlight: number;
  /** Largest payload accepted (after event_id is added): brokers refuse larger packets. */
  readonly maxPayloadBytes: number;
  /** At close, while connected: how long to keep delivering what waits before leaving it for the next run. */
  readonly drainTimeoutMs: number;
  /** At close: how long to wait for the broker to acknowledge the `offline` status. */
  readonly offlineTimeoutMs: number;
  /** After a failed read of a segment file: wait this long before trying again. */
  readonly retryReadMs: number;
}

export const DEFAULT_OUTBOX_TUNING: OutboxTuning = {
  commitIntervalMs: 10,
  commitMaxBytes: 256 * 1024,
  cursorIntervalMs: 500,
  segmentBytes: 0,
  maxInFlight: 64,
  maxPayloadBytes: 1024 * 1024,
  drainTimeoutMs: 2000,
  offlineTimeoutMs: 2000,
  retryReadMs: 1000,
};

/** The segment size for an outbox bound: 1/16 of it, between 4 KiB and 4 MiB. */
export function segmentBytesFor(maxBytes: number): number {
  return Math.min(4 * 1024 * 1024, Math.max(4 * 1024, Math.floor(maxBytes / 16)));
}

/**
 * The client id when `outputs.mqtt.client_id` is not given: `spatia-<hostname>`, stable across
 * restarts (the status topic and the event_ids are named after it), with characters outside
 * [A-Za-z0-9_-] replaced by `_`.
 */
export function defaultClientId(host: string = hostname()): string {
  return `spatia-${host.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** `spatia/<client_id>/status`, with `/`, `+` and `#` in the id replaced by `_`. */
export function defaultStatusTopic(clientId: string): string {
  return `spatia/${clientId.replace(/[/+#]/g, '_')}/status`;
}
