import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from '../../../../src/persistence/crc32.js';
import { payloadWithEventId, topicNameProblem } from '../../../../src/actions/outbox/outbox-payload.js';
import { decodeRecordAt, encodeRecord, type OutboxRecord } from '../../../../src/actions/outbox/outbox-record.js';

const rec = (seq: number, payload = '{"event_id":"n-1","temp":22.5}'): OutboxRecord => ({
  seq,
  topic: 'alerts/lobby',
  qos: 1,
  retain: false,
  payload: Buffer.from(payload),
});

describe('outbox records', () => {
  it('CRC-32 is the IEEE one (check value of "123456789"), native and portable alike', () => {
    const data = Buffer.from('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Portable(data)).toBe(0xcbf43926);
    const random = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32Portable(random)).toBe(crc32(random));
  });

  it('round-trips a record with its exact payload bytes', () => {
    const buf = Buffer.concat([encodeRecord(rec(7)), encodeRecord({ ...rec(8, 'ünïcode'), qos: 2, retain: true, topic: 'a/ß' })]);
    const first = decodeRecordAt(buf, 0);
    expect(first.kind).toBe('record');
    if (first.kind !== 'record') return;
    expect(first.record).toMatchObject({ seq: 7, topic: 'alerts/lobby', qos: 1, retain: false });
    expect(first.record.payload.toString()).toBe('{"event_id":"n-1","temp":22.5}');
    const second = decodeRecordAt(buf, first.bytes);
    expect(second.kind === 'record' && second.record).toMatchObject({ seq: 8, topic: 'a/ß', qos: 2, retain: true });
    expect(second.kind === 'record' && second.record.payload.toString()).toBe('ünïcode');
  });

  it('tells a record cut short (incomplete) from damaged bytes (corrupt)', () => {
    const buf = encodeRecord(rec(1));
    expect(decodeRecordAt(buf.subarray(0, 5), 0)).toEqual({ kind: 'incomplete', needBytes: 8 });
    expect(decodeRecordAt(buf.subarray(0, buf.length - 1), 0)).toEqual({ kind: 'incomplete', needBytes: buf.length });
    const flipped = Buffer.from(buf);
    flipped[20] = (flipped[20] ?? 0) ^ 0x01;
    expect(decodeRecordAt(flipped, 0)).toEqual({ kind: 'corrupt', reason: 'checksum mismatch' });
    expect(decodeRecordAt(Buffer.alloc(64), 0)).toEqual({ kind: 'corrupt', reason: 'impossible record length 0' });
  });
});

describe('payloads and topics', () => {
  it('puts event_id first in an object payload, replacing one the payload carries', () => {
    expect(payloadWithEventId({ temp: 22.5, zone: 'lobby' }, 'lobby-pi-42').toString()).toBe('{"event_id":"lobby-pi-42","temp":22.5,"zone":"lobby"}');
    expect(payloadWithEventId({ event_id: 'mine', a: 1 }, 'n-1').toString()).toBe('{"event_id":"n-1","a":1}');
  });

  it('wraps any other payload as {event_id, value}; no payload gives {event_id}', () => {
    expect(payloadWithEventId(22.5, 'n-1').toString()).toBe('{"event_id":"n-1","value":22.5}');
    expect(payloadWithEventId('hot', 'n-1').toString()).toBe('{"event_id":"n-1","value":"hot"}');
    expect(payloadWithEventId([1, 2], 'n-1').toString()).toBe('{"event_id":"n-1","value":[1,2]}');
    expect(payloadWithEventId(null, 'n-1').toString()).toBe('{"event_id":"n-1","value":null}');
    expect(payloadWithEventId(undefined, 'n-1').toString()).toBe('{"event_id":"n-1"}');
  });

  it('refuses topics a broker would refuse', () => {
    expect(topicNameProblem('alerts/lobby')).toBeUndefined();
    expect(topicNameProblem('')).toBe('the topic is empty');
    expect(topicNameProblem('alerts/+/x')).toMatch(/wildcard/);
    expect(topicNameProblem('alerts/#')).toMatch(/wildcard/);
    expect(topicNameProblem('a\u0000b')).toMatch(/NUL/);
  });
});
