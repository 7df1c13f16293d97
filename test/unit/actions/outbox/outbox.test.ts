import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueMany, Harness, seqOf, STATUS, TOPIC } from './outbox-harness.js';
import { waitFor } from './fake-publisher.js';

/**
 * The outbox on real files and a fake broker: durable before acknowledged, in order, at least
 * once, bounded with exact drop counts, and the node's online/offline status.
 */
describe('outbox delivery', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.broker.violations).toEqual([]);
    await h.dispose();
  });

  it('acknowledges a message only once it is on disk, then delivers in order with an event_id in every payload', async () => {
    h = new Harness();
    h.broker.up = false;
    const outbox = await h.open();
    const a = await outbox.enqueue(TOPIC, { temp: 22.5 }, 1, false);
    expect(a).toEqual({ ok: true, eventId: 'node-0', seq: 0, dropped: 0 });
    expect(h.recordsOnDisk().map((r) => r.payload.toString())).toEqual(['{"event_id":"node-0","temp":22.5}']);
    await outbox.enqueue(TOPIC, 17, 0, false);
    await outbox.enqueue('alerts/other', undefined, 2, true);
    expect(h.recordsOnDisk().map((r) => [r.seq, r.topic, r.qos, r.retain])).toEqual([
      [0, TOPIC, 1, false],
      [1, TOPIC, 0, false],
      [2, 'alerts/other', 2, true],
    ]);
    expect(h.broker.acked).toEqual([]);
    h.broker.up = true;
    await waitFor(() => h.broker.acked.length === 4, 'delivery');
    expect(h.broker.acked).toEqual([
      { topic: STATUS, payload: 'online', qos: 1, retain: true },
      { topic: TOPIC, payload: '{"event_id":"node-0","temp":22.5}', qos: 1, retain: false },
      { topic: TOPIC, payload: '{"event_id":"node-1","value":17}', qos: 0, retain: false },
      { topic: 'alerts/other', payload: '{"event_id":"node-2"}', qos: 2, retain: true },
    ]);
    await waitFor(() => outbox.stats().pending === 0, 'cursor');
    expect(outbox.stats()).toMatchObject({ pending: 0, delivered: 3, dropped: 0, rejected: 0, connected: true });
  });

  it('delivers everything across segment boundaries while segments are still being written', async () => {
    h = new Harness();
    const outbox = await h.open({ tuning: { segmentBytes: 300, commitIntervalMs: 3 } });
    await waitFor(() => h.broker.current !== undefined, 'connect');
    const all: Array<Promise<unknown>> = [];
    for (let burst = 0; burst < 20; burst++) {
      for (let k = 0; k < 10; k++) all.push(outbox.enqueue(TOPIC, { i: burst * 10 + k }, 1, false));
      await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(all);
    await waitFor(() => h.deliveredSeqs().length === 200, 'every message');
    expect(h.deliveredSeqs()).toEqual([...Array(200).keys()]);
  });

  it('keeps many publishes in flight, never more than the broker allows, and in order', async () => {
    h = new Harness();
    h.broker.autoAck = false;
    h.broker.receiveMaximum = 6;
    const outbox = await h.open();
    await waitFor(() => h.broker.current !== undefined, 'connect');
    await enqueueMany(outbox, 0, 30);
    const c = h.broker.current;
    if (c === undefined) throw new Error('not connected');
    // The status publish holds one of the 6 slots.
    await waitFor(() => c.pending.length === 6, 'a full window');
    await new Promise((r) => setTimeout(r, 20));
    expect(c.pending.length).toBe(6);
    while (h.broker.acked.length < 31) {
      c.ackNext(1);
      await new Promise((r) => setImmediate(r));
      expect(c.pending.length).toBeLessThanOrEqual(6);
    }
    expect(h.deliveredSeqs()).toEqual([...Array(30).keys()]);
  });

  it('sends again, from the first message not acknowledged, after the connection drops', async () => {
    h = new Harness();
    h.broker.autoAck = false;
    const outbox = await h.open();
    await waitFor(() => h.broker.current !== undefined, 'connect');
    await enqueueMany(outbox, 0, 10);
    const first = h.broker.current;
    if (first === undefined) throw new Error('not connected');
    await waitFor(() => first.sent.length === 11, 'all sent');
    first.ackNext(5); // online + node-0..3
    await waitFor(() => outbox.stats().pending === 6, 'acks counted');
    h.broker.autoAck = true;
    first.drop();
    await waitFor(() => h.broker.acked.length === 5 + 1 + 6, 'resent');
    const second = h.broker.last;
    expect(second).not.toBe(first);
    expect(second.sent.map((p) => p.payload === 'online' ? 'online' : seqOf(String(JSON.parse(p.payload).event_id)))).toEqual(['online', 4, 5, 6, 7, 8, 9]);
    expect(h.deliveredSeqs()).toEqual([...Array(10).keys()]);
    expect(h.events.filter((e) => e.type === 'transport').map((e) => e.status)).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('skips a message the broker refuses (reported), and one that breaks the connection is sent again', async () => {
    h = new Harness();
    h.broker.autoAck = false;
    const outbox = await h.open();
    await waitFor(() => h.broker.current !== undefined, 'connect');
    await enqueueMany(outbox, 0, 3);
    const c = h.broker.current;
    if (c === undefined) throw new Error('not connected');
    await waitFor(() => c.pending.length === 4, 'sent');
    c.ackNext(1); // online
    c.refuseNext('Publish error: Not authorized (reason code 0x87)');
    c.breakNext('Connection closed');
    h.broker.autoAck = true;
    await waitFor(() => h.deliveredSeqs().length === 2, 'resent after the break');
    expect(h.deliveredSeqs()).toEqual([1, 2]);
    expect(h.outboxEvents('rejected')).toEqual([
      {
        type: 'outbox',
        status: 'rejected',
        code: 'SPATIA_MQTT_REJECTED',
        event_id: 'node-0',
        topic: TOPIC,
        message: `the broker refused node-0 on ${TOPIC} (Publish error: Not authorized (reason code 0x87)); it is not sent again`,
      },
    ]);
    expect(outbox.stats()).toMatchObject({ rejected: 1, delivered: 2 });
  });

  it('drops the oldest undelivered messages when full, counting every drop exactly', async () => {
    h = new Harness();
    h.broker.up = false;
    // A record takes about 73 bytes: about ten fit.
    const outbox = await h.open({ maxBytes: 730 });
    let droppedInOutcomes = 0;
    for (let i = 0; i < 50; i++) {
      const r = await outbox.enqueue(TOPIC, { i }, 1, false);
      if (!r.ok) throw new Error(r.error);
      droppedInOutcomes += r.dropped;
    }
    const kept = outbox.stats().pending;
    expect(kept).toBeGreaterThanOrEqual(8);
    expect(kept).toBeLessThanOrEqual(10);
    const dropped = 50 - kept;
    const reported = h.outboxEvents('dropped');
    expect(reported.reduce((n, e) => n + Number(e['count']), 0)).toBe(dropped);
    expect(droppedInOutcomes).toBe(dropped);
    expect(h.drops.reduce((n, [count]) => n + count, 0)).toBe(dropped);
    expect(h.drops[0]?.[1]).toBe('node-0');
    expect(h.drops[h.drops.length - 1]?.[2]).toBe(`node-${dropped - 1}`);
    expect(reported[0]).toMatchObject({ reason: 'full', code: 'SPATIA_OUTBOX_DROPPED', first_event_id: 'node-0' });
    expect(outbox.stats()).toMatchObject({ dropped });
    h.broker.up = true;
    await waitFor(() => h.deliveredSeqs().length === kept, 'delivery');
    await new Promise((r) => setTimeout(r, 20));
    // Exactly what was not dropped arrives, oldest first.
    expect(h.deliveredSeqs()).toEqual(Array.from({ length: kept }, (_, k) => dropped + k));
  });

  it('a failed write (disk full) fails the actions of that commit, queues nothing, and is reported', async () => {
    h = new Harness();
    h.broker.up = false;
    const outbox = await h.open();
    // The first segment's writes land on /dev/full: ENOSPC.
    symlinkSync('/dev/full', join(h.dir, '0000000000000000.seg'));
    const r = await outbox.enqueue(TOPIC, { i: 0 }, 1, false);
    expect(r).toMatchObject({ ok: false, reason: 'disk', error: expect.stringContaining('ENOSPC') });
    expect(outbox.stats().pending).toBe(0);
    expect(h.outboxEvents('error')[0]).toMatchObject({ code: 'SPATIA_OUTBOX_IO', message: expect.stringContaining('were not queued') });
    // A device cannot be cut back: the outbox refuses further messages rather than risk a torn log.
    expect(await outbox.enqueue(TOPIC, { i: 1 }, 1, false)).toMatchObject({ ok: false, reason: 'disk' });
    h.broker.up = true;
    await waitFor(() => h.broker.current !== undefined, 'connect');
    expect(h.deliveredSeqs()).toEqual([]);
  });

  it('refuses, without queueing, a wildcard topic, a payload over the limit and a message larger than the outbox', async () => {
    h = new Harness();
    const outbox = await h.open({ maxBytes: 200, tuning: { maxPayloadBytes: 160 } });
    expect(await outbox.enqueue('alerts/+', 1, 1, false)).toMatchObject({ ok: false, reason: 'topic' });
    expect(await outbox.enqueue(TOPIC, 'x'.repeat(150), 1, false)).toMatchObject({ ok: false, reason: 'too large' });
    const overOutbox = await outbox.enqueue(TOPIC, 'x'.repeat(125), 1, false);
    expect(overOutbox).toMatchObject({ ok: false, reason: 'too large' });
    expect(!overOutbox.ok && overOutbox.error).toMatch(/more than outbox_max_bytes \(200\)/);
    expect(await outbox.enqueue(TOPIC, 'fits', 1, false)).toMatchObject({ ok: true });
    expect(h.recordsOnDisk().map((r) => r.payload.toString())).toEqual([expect.stringContaining('"value":"fits"')]);
  });
});

describe('node status', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.broker.violations).toEqual([]);
    await h.dispose();
  });

  it('registers a retained offline will, publishes a retained online on every connect, and offline at a clean close', async () => {
    h = new Harness();
    const outbox = await h.open();
    await waitFor(() => h.broker.retained.get(STATUS) === 'online', 'online');
    const first = h.broker.last;
    expect(first.options.will).toEqual({ topic: STATUS, payload: Buffer.from('offline'), qos: 1, retain: true });
    expect(first.options.clientId).toBe('node');
    expect(first.sent[0]).toEqual({ topic: STATUS, payload: 'online', qos: 1, retain: true });
    first.drop(); // dies without DISCONNECT: the broker publishes the will
    expect(h.broker.retained.get(STATUS)).toBe('offline');
    await waitFor(() => h.broker.retained.get(STATUS) === 'online', 'online again after the reconnect');
    const second = h.broker.last;
    expect(second).not.toBe(first);
    expect(second.sent[0]).toEqual({ topic: STATUS, payload: 'online', qos: 1, retain: true });
    await outbox.close();
    expect(second.sent[second.sent.length - 1]).toEqual({ topic: STATUS, payload: 'offline', qos: 1, retain: true });
    expect(h.broker.retained.get(STATUS)).toBe('offline');
    expect(second.ended).toBe('graceful');
  });

  it('reports a broker that refuses the online status (its ACL), and keeps delivering', async () => {
    h = new Harness();
    h.broker.autoAck = false;
    const outbox = await h.open();
    await waitFor(() => h.broker.current?.pending.length === 1, 'the online publish');
    h.broker.current?.refuseNext('Publish error: Not authorized (reason code 0x87)');
    expect(h.events.filter((e) => e.type === 'transport').at(-1)).toMatchObject({ status: 'error', code: 'SPATIA_MQTT_AUTH', message: expect.stringContaining(STATUS) });
    h.broker.autoAck = true;
    await enqueueMany(outbox, 0, 2);
    await waitFor(() => h.deliveredSeqs().length === 2, 'delivery');
  });

  it('at close, delivers what waits while connected; what is left waits for the next run', async () => {
    h = new Harness();
    const outbox = await h.open();
    await waitFor(() => h.broker.current !== undefined, 'connect');
    await enqueueMany(outbox, 0, 5);
    await outbox.close();
    expect(h.deliveredSeqs()).toEqual([0, 1, 2, 3, 4]);
    expect(await outbox.enqueue(TOPIC, 1, 1, false)).toMatchObject({ ok: false, reason: 'closed' });

    h.broker.up = false;
    const next = await h.open();
    expect(next.stats().pending).toBe(0);
    await enqueueMany(next, 5, 3);
    await next.close();
    const third = await h.open();
    expect(third.stats().pending).toBe(3);
    h.broker.up = true;
    await waitFor(() => h.deliveredSeqs().length === 8, 'the rest');
    expect(h.deliveredSeqs()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});
