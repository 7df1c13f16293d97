import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import type { DropReport, OutboxLog } from './outbox-log.js';
import type { OutboxRecord } from './outbox-record.js';
import type { PublisherLink } from './publisher-connection.js';
import type { PublishResult } from './publisher-client.js';
import { SegmentReader } from './segment-reader.js';

/** What delivery reports to the outbox. */
export interface DeliveryOptions {
  readonly maxInFlight: number;
  readonly retryReadMs: number;
  readonly timers: Timers;
  /** The broker refused a record for good; it was taken off the outbox. */
  readonly onRejected: (record: OutboxRecord, why: string) => void;
  /** Records that could not be read back were dropped. */
  readonly onUnreadable: (drop: DropReport | undefined, segment: string, why: string) => void;
  readonly onError: (message: string) => void;
  /** The connection failed under a publish: it must be dropped and made again. */
  readonly onBroken: (why: string) => void;
}

/**
 * Publishes the log's durable records in seq order over the current link: up to a window of
 * unacknowledged publishes at once (throughput), each acknowledged record moving the log's
 * cursor. A new link starts again from the first record not acknowledged, so what was in flight
 * when a connection died is sent again (at least once, never out of order).
 */
export class Delivery {
  delivered = 0;
  rejected = 0;
  private link: PublisherLink | undefined;
  private window = 1;
  /** Bumped with every link change: acks and reads of an older link are ignored. */
  private epoch = 0;
  private ready: readonly OutboxRecord[] = [];
  private readyAt = 0;
  private inflight = 0;
  private reading: Promise<void> | undefined;
  private resetTo: number | undefined = 0;
  /** durableSeq when the reader last found nothing more: no read until it grows. */
  private exhaustedAt = -1;
  private retryTimer: unknown;
  private drainWaiter: (() => void) | undefined;
  private readonly reader: SegmentReader;

  constructor(
    private readonly log: OutboxLog,
    private readonly opts: DeliveryOptions,
  ) {
    this.reader = new SegmentReader(log);
  }

  /** A connection is up (its `online` status already sent): start from the oldest unacknowledged record. */
  up(link: PublisherLink): void {
    this.restartFrom(link);
    // The status publish may hold one of the broker's receive slots.
    const brokerMax = link.receiveMaximum === undefined ? Infinity : Math.max(1, link.receiveMaximum - 1);
    this.window = Math.max(1, Math.min(this.opts.maxInFlight, brokerMax));
    this.pump();
  }

  down(): void {
    this.restartFrom(undefined);
  }

  /** New durable records, or records dropped: look again. */
  wake(): void {
    this.pump();
  }

  /** Resolves once every record is acknowledged, the link is gone, or after `timeoutMs`. */
  drained(timeoutMs: number): Promise<void> {
    if (this.link === undefined || this.log.live.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = this.opts.timers.setTimeout(() => this.endDrain(), timeoutMs);
      this.drainWaiter = () => {
        this.opts.timers.clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Stops publishing and closes the reader. Never rejects. */
  async close(): Promise<void> {
    this.restartFrom(undefined);
    if (this.retryTimer !== undefined) this.opts.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.reading;
    await this.reader.close().catch(() => undefined);
  }

  private endDrain(): void {
    const waiter = this.drainWaiter;
    this.drainWaiter = undefined;
    waiter?.();
  }

  private restartFrom(link: PublisherLink | undefined): void {
    if (link === undefined) this.endDrain();
    this.link = link;
    this.epoch++;
    this.ready = [];
    this.readyAt = 0;
    this.inflight = 0;
    this.resetTo = this.log.done + 1;
    this.exhaustedAt = -1;
  }

  private pump(): void {
    const link = this.link;
    if (link === undefined) return;
    while (this.inflight < this.window) {
      const record = this.nextReady();
      if (record === undefined) {
        this.readMore();
        return;
      }
      this.send(link, record);
    }
  }

  private nextReady(): OutboxRecord | undefined {
    while (this.readyAt < this.ready.length) {
      const r = this.ready[this.readyAt++];
      // Dropped (or acknowledged on an earlier link) since it was read: skip.
      if (r !== undefined && r.seq > this.log.done) return r;
    }
    return undefined;
  }

  private send(link: PublisherLink, record: OutboxRecord): void {
    this.inflight++;
    const epoch = this.epoch;
    link.client.publish(record.topic, record.payload, record.qos, record.retain, (result) => this.settled(epoch, record, result));
  }

  private settled(epoch: number, record: OutboxRecord, result: PublishResult): void {
    if (epoch !== this.epoch) return;
    this.inflight--;
    if (result === undefined) {
      this.delivered++;
      this.log.ack(record.seq);
    } else if ('refused' in result) {
      this.rejected++;
      this.log.ack(record.seq);
      this.opts.onRejected(record, result.refused);
    } else {
      this.opts.onBroken(result.broken);
      return;
    }
    if (this.log.live.length === 0) this.endDrain();
    this.pump();
  }

  private readMore(): void {
    if (this.reading !== undefined || this.retryTimer !== undefined) return;
    if (this.log.durableSeq <= this.exhaustedAt || this.log.live.length === 0) return;
    this.reading = this.read(this.epoch).finally(() => {
      this.reading = undefined;
      this.pump();
    });
  }

  private async read(epoch: number): Promise<void> {
    const durableSeq = this.log.durableSeq;
    try {
      if (this.resetTo !== undefined) {
        const from = this.resetTo;
        this.resetTo = undefined;
        await this.reader.reset(from);
      }
      const r = await this.reader.read();
      if (epoch !== this.epoch) return;
      if (r.kind === 'records') {
        this.ready = r.records;
        this.readyAt = 0;
      } else if (r.kind === 'end') {
        this.exhaustedAt = durableSeq;
      } else {
        this.opts.onUnreadable(this.log.dropBefore(r.resumeSeq, 'unreadable'), r.segment.path, r.reason);
      }
    } catch (err) {
      this.resetTo = this.log.done + 1;
      // ENOENT: a segment deleted under the reader (all of it delivered meanwhile), not worth a report.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.opts.onError(`cannot read the outbox (${(err as Error).message}); retrying`);
      this.retryTimer = this.opts.timers.setTimeout(() => {
        this.retryTimer = undefined;
        this.pump();
      }, this.opts.retryReadMs);
    }
  }
}
