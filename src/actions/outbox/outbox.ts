import { readFile } from 'node:fs/promises';
import type { JsonValue, MqttConnectionModel } from '../../config/model.js';
import { DEFAULT_BACKOFF } from '../../sensors/mqtt/backoff.js';
import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import { openMqttPublisherClient } from './mqtt-publisher-client.js';
import { Delivery } from './outbox-delivery.js';
import type { OutboxEvent } from './outbox-events.js';
import { type DropReport, OutboxLog } from './outbox-log.js';
import { payloadWithEventId, topicNameProblem } from './outbox-payload.js';
import { encodeRecord } from './outbox-record.js';
import { DEFAULT_OUTBOX_TUNING, type OutboxTuning, segmentBytesFor } from './outbox-settings.js';
import { PublisherConnection, type PublisherConnectionDeps } from './publisher-connection.js';

/** What an outbox is made of. */
export interface OutboxOptions {
  /** The broker: url, credentials, TLS files (outputs.mqtt). */
  readonly connection: MqttConnectionModel;
  /** The outbox directory (`<state_dir>/outbox`); created when missing. */
  readonly dir: string;
  /** outbox_max_bytes: bound on the bytes of undelivered records. */
  readonly maxBytes: number;
  readonly clientId: string;
  /** event_ids are `<nodeId>-<seq>`. */
  readonly nodeId: string;
  /** Retained `online`/`offline`, with `offline` as the last will. */
  readonly statusTopic: string;
  readonly onEvent: (event: OutboxEvent) => void;
  /** Called for every drop, with the exact count and the first and last event_id dropped. */
  readonly onDrop?: (count: number, firstEventId: string, lastEventId: string) => void;
  readonly tuning?: Partial<OutboxTuning>;
  readonly deps?: Partial<Omit<PublisherConnectionDeps, 'timing'>> & { readonly connectTimeoutMs?: number; readonly keepaliveS?: number };
}

/** The answer to `enqueue`: durable (with its event_id), or refused with the reason. */
export type EnqueueResult =
  | { readonly ok: true; readonly eventId: string; readonly seq: number; readonly dropped: number }
  | { readonly ok: false; readonly reason: 'topic' | 'too large' | 'disk' | 'closed'; readonly error: string };

/** A snapshot of the outbox's counters since it was opened. */
export interface OutboxStats {
  readonly pending: number;
  readonly pendingBytes: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly rejected: number;
  readonly connected: boolean;
}

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * The durable MQTT outbox (SPEC §7). `enqueue` resolves once the message is fsynced in the
 * outbox directory ("persisted before it is acknowledged"); delivery is separate: in order, at
 * least once, across broker outages and restarts. Undelivered messages are bounded by
 * `maxBytes`: the oldest are dropped first, counted exactly and reported. Every payload carries
 * `event_id` = `<nodeId>-<seq>`, unique per node (seqs come from the durable log and are never
 * given twice, even after a crash). One outbox per directory and process; close it once.
 */
export class Outbox {
  private droppedCount = 0;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly opts: OutboxOptions,
    private readonly tuning: OutboxTuning,
    private readonly log: OutboxLog,
    private readonly delivery: Delivery,
    private readonly connection: PublisherConnection,
  ) {}

  /** Opens the directory (recovering what a previous run left) and starts connecting. Rejects on file-system errors. */
  static async open(opts: OutboxOptions): Promise<Outbox> {
    const tuning = { ...DEFAULT_OUTBOX_TUNING, ...opts.tuning };
    const d = opts.deps ?? {};
    const timers = d.timers ?? REAL_TIMERS;
    const deps: PublisherConnectionDeps = {
      open: d.open ?? openMqttPublisherClient,
      readFile: d.readFile ?? ((path) => readFile(path)),
      timers,
      random: d.random ?? Math.random,
      nowMs: d.nowMs ?? (() => performance.now()),
      backoff: d.backoff ?? DEFAULT_BACKOFF,
      timing: { connectTimeoutMs: d.connectTimeoutMs ?? 10_000, keepaliveS: d.keepaliveS ?? 30 },
    };
    const error = (message: string): void => opts.onEvent({ type: 'outbox', status: 'error', code: 'SPATIA_OUTBOX_IO', message });
    // The parts refer to each other: the log and delivery report through the outbox made last.
    const late: { self?: Outbox } = {};
    const pendingDrops: DropReport[] = [];
    const { log, recovered } = await OutboxLog.open({
      dir: opts.dir,
      maxBytes: opts.maxBytes,
      segmentBytes: tuning.segmentBytes > 0 ? tuning.segmentBytes : segmentBytesFor(opts.maxBytes),
      commitIntervalMs: tuning.commitIntervalMs,
      commitMaxBytes: tuning.commitMaxBytes,
      cursorIntervalMs: tuning.cursorIntervalMs,
      timers,
      onDrop: (drop) => (late.self === undefined ? pendingDrops.push(drop) : late.self.reportDrop(drop)),
      onDurable: () => late.self?.delivery.wake(),
      onError: error,
    });
    if (recovered.cursorCorrupt) error(`outbox ${opts.dir}: cursor.json is unreadable; every message still in the outbox is sent again`);
    for (const cut of recovered.cuts) {
      const what = cut.reason === 'torn' ? 'a torn write (a crash while writing)' : cut.reason;
      const message = `outbox segment ${cut.segment}: cut ${cut.bytes} bytes at byte ${cut.offset}: ${what}`;
      opts.onEvent({ type: 'outbox', status: 'truncated', code: 'SPATIA_OUTBOX_IO', segment: cut.segment, offset: cut.offset, bytes: cut.bytes, message });
    }
    const delivery = new Delivery(log, {
      maxInFlight: tuning.maxInFlight,
      retryReadMs: tuning.retryReadMs,
      timers,
      onRejected: (record, why) => late.self?.reportRejected(record.seq, record.topic, why),
      onUnreadable: (drop, segment, why) => {
        error(`outbox segment ${segment} is damaged (${why}); skipping it`);
        if (drop !== undefined) late.self?.reportDrop(drop);
      },
      onError: error,
      onBroken: (why) => connection.restart(why),
    });
    const connection = new PublisherConnection(opts.connection, opts.clientId, opts.statusTopic, deps, {
      up: (link) => delivery.up(link),
      down: () => delivery.down(),
      transport: (e) => opts.onEvent({ type: 'transport', ...e }),
    });
    const outbox = new Outbox(opts, tuning, log, delivery, connection);
    late.self = outbox;
    for (const drop of pendingDrops) outbox.reportDrop(drop);
    const next = `${opts.nodeId}-${log.peekSeq()}`;
    const message = `outbox ${opts.dir}: ${log.live.length} messages (${log.live.bytes} bytes) waiting from before; next event_id ${next}`;
    opts.onEvent({ type: 'outbox', status: 'opened', pending: log.live.length, bytes: log.live.bytes, next_event_id: next, message });
    connection.start();
    return outbox;
  }

  /**
   * Queues a message: resolves once it is durable (or refused). `payload` gets the event_id
   * (see payloadWithEventId). Messages are published in the order of their enqueue calls.
   */
  async enqueue(topic: string, payload: JsonValue | undefined, qos: 0 | 1 | 2, retain: boolean): Promise<EnqueueResult> {
    const problem = topicNameProblem(topic);
    if (problem !== undefined) return { ok: false, reason: 'topic', error: problem };
    const seq = this.log.reserveSeq();
    const eventId = this.eventId(seq);
    const bytes = payloadWithEventId(payload, eventId);
    if (bytes.length > this.tuning.maxPayloadBytes) {
      return { ok: false, reason: 'too large', error: `the payload takes ${bytes.length} bytes, more than the ${this.tuning.maxPayloadBytes} an outbox message may` };
    }
    const appended = this.log.append(seq, encodeRecord({ seq, topic, qos, retain, payload: bytes }));
    if (!appended.ok) return { ok: false, reason: appended.reason, error: appended.error };
    if (appended.dropped !== undefined) this.reportDrop(appended.dropped);
    const failed = await appended.durable;
    if (failed !== undefined) return { ok: false, reason: 'disk', error: failed };
    return { ok: true, eventId, seq, dropped: appended.dropped?.count ?? 0 };
  }

  stats(): OutboxStats {
    return {
      pending: this.log.live.length,
      pendingBytes: this.log.live.bytes,
      delivered: this.delivery.delivered,
      dropped: this.droppedCount,
      rejected: this.delivery.rejected,
      connected: this.connection.connected,
    };
  }

  /**
   * Commits what waits, stops delivery, publishes the retained `offline` status and disconnects.
   * Undelivered messages stay on disk for the next run. Never rejects.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.log.seal();
      if (this.connection.connected) await this.delivery.drained(this.tuning.drainTimeoutMs);
      await this.delivery.close();
      await this.log.close();
      await this.connection.close(this.tuning.offlineTimeoutMs);
    })();
    return this.closing;
  }

  private eventId(seq: number): string {
    return `${this.opts.nodeId}-${seq}`;
  }

  private reportDrop(d: DropReport): void {
    this.droppedCount += d.count;
    const first = this.eventId(d.firstSeq);
    const last = this.eventId(d.lastSeq);
    const why = d.reason === 'full' ? 'the outbox is full (outbox_max_bytes): oldest first' : 'damaged on disk';
    const message = `dropped ${d.count} undelivered message${d.count === 1 ? '' : 's'} (${first} .. ${last}): ${why}`;
    this.opts.onEvent({ type: 'outbox', status: 'dropped', code: 'SPATIA_OUTBOX_DROPPED', reason: d.reason, count: d.count, first_event_id: first, last_event_id: last, message });
    this.opts.onDrop?.(d.count, first, last);
  }

  private reportRejected(seq: number, topic: string, why: string): void {
    const eventId = this.eventId(seq);
    const message = `the broker refused ${eventId} on ${topic} (${why}); it is not sent again`;
    this.opts.onEvent({ type: 'outbox', status: 'rejected', code: 'SPATIA_MQTT_REJECTED', event_id: eventId, topic, message });
  }
}
