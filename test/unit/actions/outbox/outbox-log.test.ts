import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type DropReport, OutboxLog } from '../../../../src/actions/outbox/outbox-log.js';
import { encodeRecord } from '../../../../src/actions/outbox/outbox-record.js';
import { readCursor } from '../../../../src/actions/outbox/cursor-file.js';

const REAL_TIMERS = { setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };

describe('outbox log', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function open(drops: DropReport[] = [], maxBytes = 1 << 20): Promise<OutboxLog> {
    const dir = mkdtempSync(join(tmpdir(), 'spatia-outbox-log-'));
    dirs.push(dir);
    const { log } = await OutboxLog.open({
      dir,
      maxBytes,
      segmentBytes: 1 << 16,
      commitIntervalMs: 1,
      commitMaxBytes: 1 << 20,
      cursorIntervalMs: 1,
      timers: REAL_TIMERS,
      onDrop: (d) => drops.push(d),
      onDurable: () => undefined,
      onError: (m) => {
        throw new Error(m);
      },
    });
    return log;
  }

  function append(log: OutboxLog): ReturnType<OutboxLog['append']> {
    const seq = log.reserveSeq();
    return log.append(seq, encodeRecord({ seq, topic: 't', qos: 1, retain: false, payload: Buffer.from(`{"event_id":"n-${seq}"}`) }));
  }

  it('commits records in groups: one fsync makes a whole batch durable', async () => {
    const log = await open();
    const results = [append(log), append(log), append(log)];
    const durable = results.map((r) => (r.ok ? r.durable : Promise.resolve('refused')));
    expect(durable[0]).toBe(durable[2]);
    expect(await Promise.all(durable)).toEqual([undefined, undefined, undefined]);
    expect(log.durableSeq).toBe(2);
    await log.close();
  });

  it('moves the cursor over acknowledgements only where they are contiguous', async () => {
    const log = await open();
    for (let i = 0; i < 4; i++) append(log);
    await log.seal();
    log.ack(2);
    log.ack(1);
    expect(log.done).toBe(-1);
    log.ack(0);
    expect(log.done).toBe(2);
    log.ack(2);
    log.ack(3);
    expect(log.done).toBe(3);
    expect(log.live.length).toBe(0);
    await log.close();
  });

  it('does not count as dropped a record that was already acknowledged out of order', async () => {
    const size = encodeRecord({ seq: 0, topic: 't', qos: 1, retain: false, payload: Buffer.from('{"event_id":"n-0"}') }).length;
    const log = await open([], size * 3 + 2);
    for (let i = 0; i < 3; i++) append(log);
    log.ack(1);
    const drops = [append(log), append(log), append(log)].map((r) => r.ok && r.dropped);
    // Room for one each time: 0 is dropped, then 1 leaves as delivered (no drop), then 2 is dropped.
    expect(drops).toEqual([{ count: 1, firstSeq: 0, lastSeq: 0, reason: 'full' }, undefined, { count: 1, firstSeq: 2, lastSeq: 2, reason: 'full' }]);
    await log.close();
  });

  it('writes the cursor at close: done and the next seq', async () => {
    const log = await open();
    for (let i = 0; i < 3; i++) append(log);
    await log.seal();
    log.ack(0);
    log.ack(1);
    await log.close();
    expect(await readCursor(log.segments()[0]?.path.replace(/\/[^/]+$/, '') ?? '')).toEqual({ done: 1, next: 3 });
  });
});
