import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox, type OutboxOptions } from '../../../../src/actions/outbox/outbox.js';
import type { OutboxEvent } from '../../../../src/actions/outbox/outbox-events.js';
import { decodeRecordAt, type OutboxRecord } from '../../../../src/actions/outbox/outbox-record.js';
import { FakePublisherBroker } from './fake-publisher.js';

export const TOPIC = 'alerts/lobby';
export const STATUS = 'spatia/node/status';

/** A temp outbox directory, a fake broker and what the outbox reported; `open` makes a new run on the same directory. */
export class Harness {
  readonly dir = join(mkdtempSync(join(tmpdir(), 'spatia-outbox-')), 'outbox');
  readonly broker = new FakePublisherBroker();
  readonly events: OutboxEvent[] = [];
  readonly drops: Array<[number, string, string]> = [];
  private readonly open_: Outbox[] = [];

  async open(overrides: Partial<OutboxOptions> = {}): Promise<Outbox> {
    const outbox = await Outbox.open({
      connection: { url: 'mqtt://127.0.0.1:1', clientId: 'node', username: undefined, password: undefined, protocolVersion: 5, ca: undefined, cert: undefined, key: undefined },
      dir: this.dir,
      maxBytes: 1024 * 1024,
      clientId: 'node',
      nodeId: 'node',
      statusTopic: STATUS,
      onEvent: (e) => this.events.push(e),
      onDrop: (count, first, last) => this.drops.push([count, first, last]),
      tuning: { commitIntervalMs: 1, cursorIntervalMs: 5, retryReadMs: 5, drainTimeoutMs: 500, offlineTimeoutMs: 500 },
      deps: { open: this.broker.open, backoff: { initialMs: 2, maxMs: 10 }, random: () => 0.5 },
      ...overrides,
    });
    this.open_.push(outbox);
    return outbox;
  }

  /** Outbox records of `status` (`dropped`, `truncated`, ...). */
  outboxEvents(status: string): Array<Record<string, unknown>> {
    return this.events.filter((e) => e.type === 'outbox' && e.status === status) as unknown as Array<Record<string, unknown>>;
  }

  /** seqs of the event_ids acknowledged on TOPIC, in order. */
  deliveredSeqs(): number[] {
    return this.broker.payloads(TOPIC).map((p) => seqOf(String(p['event_id'])));
  }

  segmentFiles(): string[] {
    return readdirSync(this.dir).filter((f) => f.endsWith('.seg')).sort();
  }

  /** Every record in the segment files, read straight from disk. */
  recordsOnDisk(): OutboxRecord[] {
    const out: OutboxRecord[] = [];
    for (const f of this.segmentFiles()) {
      const buf = readFileSync(join(this.dir, f));
      for (let at = 0; at < buf.length; ) {
        const d = decodeRecordAt(buf, at);
        if (d.kind !== 'record') break;
        out.push(d.record);
        at += d.bytes;
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    await Promise.all(this.open_.map((o) => o.close()));
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

export function seqOf(eventId: string): number {
  return Number(eventId.slice(eventId.lastIndexOf('-') + 1));
}

/** Enqueues `count` messages {i} one after the other; returns their event_ids. */
export async function enqueueMany(outbox: Outbox, from: number, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = from; i < from + count; i++) {
    const r = await outbox.enqueue(TOPIC, { i }, 1, false);
    if (!r.ok) throw new Error(r.error);
    ids.push(r.eventId);
  }
  return ids;
}
