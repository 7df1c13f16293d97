import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeRecord } from '../../../../src/actions/outbox/outbox-record.js';
import { waitFor } from './fake-publisher.js';
import { enqueueMany, Harness, TOPIC } from './outbox-harness.js';

/** What a restart finds: torn and damaged tails, the cursor, and event_ids that never repeat. */
describe('outbox recovery', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.broker.violations).toEqual([]);
    await h.dispose();
  });

  it('cuts a torn tail at the last good record, reports it once, and gives event_ids past it', async () => {
    h = new Harness();
    h.broker.up = false;
    const first = await h.open();
    await enqueueMany(first, 0, 5);
    await first.close();
    // A crash in the middle of writing the sixth record.
    const [seg] = h.segmentFiles();
    const torn = encodeRecord({ seq: 5, topic: TOPIC, qos: 1, retain: false, payload: Buffer.from('{"event_id":"node-5"}') });
    appendFileSync(join(h.dir, seg ?? ''), torn.subarray(0, torn.length - 7));

    const second = await h.open();
    expect(h.outboxEvents('truncated')).toEqual([
      {
        type: 'outbox',
        status: 'truncated',
        code: 'SPATIA_OUTBOX_IO',
        segment: seg,
        offset: expect.any(Number),
        bytes: torn.length - 7,
        message: expect.stringContaining('a torn write (a crash while writing)'),
      },
    ]);
    expect(second.stats().pending).toBe(5);
    const next = await second.enqueue(TOPIC, { i: 5 }, 1, false);
    // The cut bytes might have held records that were already published: their seqs are skipped.
    expect(next.ok && next.seq).toBeGreaterThan(5);
    await second.close();
    await h.open();
    expect(h.outboxEvents('truncated')).toHaveLength(1);
    h.broker.up = true;
    await waitFor(() => h.deliveredSeqs().length === 6, 'delivery');
    expect(h.deliveredSeqs().slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(h.broker.payloads(TOPIC).map((p) => p['i'])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('cuts a damaged record (checksum) and the rest of its segment; later segments are kept, in order', async () => {
    h = new Harness();
    h.broker.up = false;
    const first = await h.open({ tuning: { segmentBytes: 400 } });
    await enqueueMany(first, 0, 24);
    await first.close();
    const segs = h.segmentFiles();
    expect(segs.length).toBeGreaterThanOrEqual(3);
    const path = join(h.dir, segs[0] ?? '');
    const bytes = readFileSync(path);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(path, bytes);

    const second = await h.open({ tuning: { segmentBytes: 400 } });
    const [cut] = h.outboxEvents('truncated');
    expect(cut).toMatchObject({ segment: segs[0], message: expect.stringMatching(/checksum mismatch|impossible record length/) });
    const lost = 24 - second.stats().pending;
    expect(lost).toBeGreaterThan(0);
    h.broker.up = true;
    await waitFor(() => h.deliveredSeqs().length === 24 - lost, 'delivery');
    const seqs = h.deliveredSeqs();
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs[seqs.length - 1]).toBe(23);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('resumes from the cursor: what was delivered before a restart is not sent again, and delivered segments are deleted', async () => {
    h = new Harness();
    const first = await h.open({ tuning: { segmentBytes: 400 } });
    await enqueueMany(first, 0, 20);
    await waitFor(() => first.stats().pending === 0, 'delivery');
    await first.close();
    expect(h.segmentFiles()).toHaveLength(1);
    h.broker.up = false;
    const second = await h.open({ tuning: { segmentBytes: 400 } });
    expect(second.stats().pending).toBe(0);
    const more = await enqueueMany(second, 20, 3);
    expect(more).toEqual(['node-20', 'node-21', 'node-22']);
    await second.close();
    h.broker.up = true;
    await h.open({ tuning: { segmentBytes: 400 } });
    await waitFor(() => h.deliveredSeqs().length === 23, 'delivery');
    expect(h.deliveredSeqs()).toEqual([...Array(23).keys()]);
  });

  it('never gives an event_id twice, even when every segment is gone', async () => {
    h = new Harness();
    const first = await h.open({ tuning: { segmentBytes: 4096 } });
    await enqueueMany(first, 0, 7);
    await waitFor(() => first.stats().pending === 0, 'delivery');
    await first.close();
    for (const f of h.segmentFiles()) writeFileSync(join(h.dir, f), '');
    const second = await h.open();
    expect(h.outboxEvents('opened').at(-1)).toMatchObject({ pending: 0, next_event_id: 'node-7' });
    expect(await second.enqueue(TOPIC, 1, 1, false)).toMatchObject({ ok: true, eventId: 'node-7' });
  });

  it('an unreadable cursor sends everything still on disk again (at least once), and says so', async () => {
    h = new Harness();
    h.broker.up = false;
    const first = await h.open();
    await enqueueMany(first, 0, 4);
    await first.close();
    writeFileSync(join(h.dir, 'cursor.json'), '{"do');
    h.broker.up = true;
    const second = await h.open();
    expect(h.outboxEvents('error')).toEqual([expect.objectContaining({ message: expect.stringContaining('cursor.json is unreadable') })]);
    await waitFor(() => h.deliveredSeqs().length === 4, 'delivery');
    expect((await second.enqueue(TOPIC, 1, 1, false)).ok).toBe(true);
    await waitFor(() => h.deliveredSeqs().length === 5, 'delivery');
    expect(h.deliveredSeqs()).toEqual([0, 1, 2, 3, 4]);
  });

  it('a smaller outbox_max_bytes than the last run had drops the oldest at start, counted', async () => {
    h = new Harness();
    h.broker.up = false;
    const first = await h.open();
    await enqueueMany(first, 0, 20);
    await first.close();
    const second = await h.open({ maxBytes: 400 });
    const kept = second.stats().pending;
    expect(kept).toBeGreaterThan(0);
    expect(h.outboxEvents('dropped')).toEqual([expect.objectContaining({ count: 20 - kept, first_event_id: 'node-0', last_event_id: `node-${19 - kept}` })]);
  });
});
