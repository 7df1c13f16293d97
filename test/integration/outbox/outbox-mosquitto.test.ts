import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { hasMosquitto, Mosquitto } from '../../helpers/mosquitto.js';
import { type ChildSettings, hasCompiledOutbox, OutboxChild } from './outbox-child.js';
import { TcpGate } from './tcp-gate.js';

/**
 * The outbox against a real mosquitto, in real processes killed with SIGKILL: nothing
 * acknowledged is lost across broker outages and crashes, order holds, overflow drops are
 * counted exactly, and the node's retained online/offline status (with its last will) is right.
 */

const TOPIC = 'spatia-test/events';
const STATUS = 'spatia-test/node/status';

/** A subscriber that records every message on a topic (QoS 1: in order, nothing lost by the broker). */
class Subscriber {
  readonly messages: string[] = [];
  private constructor(private readonly client: MqttClient) {}

  static async on(url: string, topic: string): Promise<Subscriber> {
    const client = await connectAsync(url, { protocolVersion: 5, reconnectPeriod: 0 });
    const s = new Subscriber(client);
    client.on('message', (_t, payload) => s.messages.push(payload.toString()));
    await client.subscribeAsync(topic, { qos: 1 });
    return s;
  }

  eventIds(): string[] {
    return this.messages.map((m) => String((JSON.parse(m) as { event_id: unknown }).event_id));
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}

async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const seqOf = (id: string): number => Number(id.slice(id.lastIndexOf('-') + 1));

describe.skipIf(!hasMosquitto() || !hasCompiledOutbox())('outbox with a real mosquitto', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ broker: Mosquitto; gate: TcpGate; dir: string }> {
    const broker = await Mosquitto.start();
    cleanups.push(() => broker.dispose());
    const gate = await TcpGate.to(broker.port);
    cleanups.push(() => gate.close());
    const dir = mkdtempSync(join(tmpdir(), 'spatia-outbox-it-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { broker, gate, dir };
  }

  function child(settings: ChildSettings): OutboxChild {
    const c = new OutboxChild(settings);
    cleanups.push(() => c.kill('SIGKILL'));
    return c;
  }

  it('1,000 events while the broker is stopped, SIGKILL and restart in the middle: every acknowledged event_id arrives, in order', async () => {
    const { broker, gate, dir } = await setup();
    await broker.stop();
    const base = { url: gate.url(), dir: join(dir, 'outbox'), clientId: 'crash-node', statusTopic: STATUS, topic: TOPIC, maxBytes: 64 * 1024 * 1024 };

    const first = child({ ...base, from: 0, to: 1000 });
    await first.waitFor(() => first.acked().length >= 400, '400 acknowledged events');
    await first.kill('SIGKILL');
    const firstAcked = first.ackedIndexes();
    expect(firstAcked.length).toBeLessThan(1000);

    // Restarted, the node takes up the events that were not acknowledged.
    const resumeAt = Math.max(...firstAcked) + 1;
    const second = child({ ...base, from: resumeAt, to: 1000 });
    await second.waitFor(() => second.has('done'), 'the rest acknowledged');
    expect(second.ackedIndexes()).toEqual(Array.from({ length: 1000 - resumeAt }, (_, k) => resumeAt + k));
    const acked = [...first.acked(), ...second.acked()];
    expect(new Set(acked).size).toBe(acked.length);

    await broker.start();
    const sub = await Subscriber.on(broker.url(), TOPIC);
    cleanups.push(() => sub.close());
    await gate.open();
    const received = (): Set<string> => new Set(sub.eventIds());
    await until(() => acked.every((id) => received().has(id)), 'every acknowledged event_id');

    // In order: the first time each event_id arrives, event_ids only grow; a repeat is a re-send.
    const firsts: number[] = [];
    const seen = new Set<string>();
    for (const id of sub.eventIds()) {
      if (!seen.has(id)) firsts.push(seqOf(id));
      seen.add(id);
    }
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    // Every event 0..999 was published (some twice, when acknowledged work was done again).
    const indexes = new Set(sub.messages.map((m) => (JSON.parse(m) as { i: number }).i));
    expect(indexes.size).toBe(1000);
    expect(second.events('truncated').length).toBeLessThanOrEqual(1);
    await second.kill('SIGTERM');
  });

  it('SIGKILL while delivering: what was in flight or not yet in the cursor is sent again, never out of order', async () => {
    const { broker, dir } = await setup();
    const sub = await Subscriber.on(broker.url(), TOPIC);
    cleanups.push(() => sub.close());
    const base = { url: broker.url(), dir: join(dir, 'outbox'), clientId: 'busy-node', statusTopic: STATUS, topic: TOPIC, maxBytes: 64 * 1024 * 1024 };
    const first = child({ ...base, from: 0, to: 1000, burst: 2, pauseMs: 1 });
    await until(() => sub.messages.length >= 300, '300 delivered');
    await first.kill('SIGKILL');
    const resumeAt = Math.max(...first.ackedIndexes()) + 1;
    const second = child({ ...base, from: resumeAt, to: 1000 });
    await second.waitFor(() => second.has('drained'), 'everything delivered');
    const acked = [...first.acked(), ...second.acked()];
    await until(() => acked.every((id) => sub.eventIds().includes(id)), 'every acknowledged event_id');
    const firsts: number[] = [];
    const seen = new Set<string>();
    for (const id of sub.eventIds()) {
      if (!seen.has(id)) firsts.push(seqOf(id));
      seen.add(id);
    }
    expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
    await second.kill('SIGTERM');
  });

  it('overflow while the broker is stopped: the number dropped is exactly what the subscriber never gets', async () => {
    const { broker, gate, dir } = await setup();
    await broker.stop();
    const c = child({ url: gate.url(), dir: join(dir, 'outbox'), clientId: 'small-node', statusTopic: STATUS, topic: TOPIC, maxBytes: 8 * 1024, from: 0, to: 600 });
    await c.waitFor(() => c.has('done'), 'all enqueued');
    const dropped = c.events('dropped').reduce((n, e) => n + Number(e['count']), 0);
    const droppedInAcks = c.lines.reduce((n, l) => n + Number(l['dropped'] ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(droppedInAcks).toBe(dropped);

    await broker.start();
    const sub = await Subscriber.on(broker.url(), TOPIC);
    cleanups.push(() => sub.close());
    await gate.open();
    await c.waitFor(() => c.has('drained'), 'delivery');
    await until(() => sub.messages.length >= 600 - dropped, 'the kept messages');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const seqs = sub.eventIds().map(seqOf);
    expect(seqs).toHaveLength(600 - dropped);
    // The oldest went first: what arrives is exactly the newest 600 - dropped, in order.
    expect(seqs).toEqual(Array.from({ length: 600 - dropped }, (_, k) => dropped + k));
    const firstDrop = c.events('dropped')[0];
    expect(firstDrop).toMatchObject({ first_event_id: 'small-node-0', reason: 'full' });
    await c.kill('SIGTERM');
  });

  it('publishes a retained online, the last will says offline when the process is SIGKILLed, online again after a restart and a broker restart', async () => {
    const { broker, dir } = await setup();
    const status = await Subscriber.on(broker.url(), STATUS);
    cleanups.push(() => status.close());
    const settings = { url: broker.url(), dir: join(dir, 'outbox'), clientId: 'status-node', statusTopic: STATUS, topic: TOPIC, maxBytes: 1 << 20, from: 0, to: 0 };

    const first = child(settings);
    await until(() => status.messages.at(-1) === 'online', 'online');
    await first.kill('SIGKILL');
    await until(() => status.messages.at(-1) === 'offline', 'the last will');

    const second = child(settings);
    await until(() => status.messages.at(-1) === 'online', 'online after the restart');
    // mosquitto here keeps nothing across its own restart: only a re-published status is retained.
    await broker.stop();
    await broker.start();
    await second.waitFor(() => second.events('connected').length === 2, 'the reconnect');
    const late = await Subscriber.on(broker.url(), STATUS);
    cleanups.push(() => late.close());
    await until(() => late.messages.at(-1) === 'online', 'the retained online after the reconnect');

    await second.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    await until(() => late.messages.at(-1) === 'offline', 'offline at a clean stop');
    const after = await Subscriber.on(broker.url(), STATUS);
    cleanups.push(() => after.close());
    await until(() => after.messages.at(-1) === 'offline', 'the retained offline');
  });
});
