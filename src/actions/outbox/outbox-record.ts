import { crc32 } from '../../persistence/crc32.js';

/**
 * One message in the outbox, as stored in a segment file:
 *
 *     u32 LE body length | u32 LE CRC-32 of the body | body
 *     body = {"s":SEQ,"t":"TOPIC","q":QOS,"r":RETAIN} "\n" PAYLOAD BYTES
 *
 * The payload is stored as the exact bytes that will be published (event_id already inside), so
 * delivery never re-serialises, and `strings` on a segment shows readable records.
 */
export interface OutboxRecord {
  /** Position in the node's outbox sequence; the event_id is `<node_id>-<seq>`. */
  readonly seq: number;
  readonly topic: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly payload: Buffer;
}

/** Bytes before the body: length and checksum. */
export const RECORD_HEADER_BYTES = 8;

/** A larger length field is taken for garbage, not for a record (MQTT's own limit is 256 MiB). */
export const MAX_RECORD_BODY_BYTES = 256 * 1024 * 1024;

/** Encodes a record with its length and checksum. */
export function encodeRecord(r: OutboxRecord): Buffer {
  const head = Buffer.from(`${JSON.stringify({ s: r.seq, t: r.topic, q: r.qos, r: r.retain })}\n`);
  const bodyBytes = head.length + r.payload.length;
  const out = Buffer.allocUnsafe(RECORD_HEADER_BYTES + bodyBytes);
  head.copy(out, RECORD_HEADER_BYTES);
  r.payload.copy(out, RECORD_HEADER_BYTES + head.length);
  out.writeUInt32LE(bodyBytes, 0);
  out.writeUInt32LE(crc32(out.subarray(RECORD_HEADER_BYTES)), 4);
  return out;
}

/**
 * What lies at an offset of a buffer: a whole record (and how many bytes it took), the start of
 * one that the buffer does not hold entirely (`incomplete`: read more, or, at the end of a file,
 * a torn write), or bytes that are not a record (`corrupt`).
 */
export type DecodedRecord =
  | { readonly kind: 'record'; readonly record: OutboxRecord; readonly bytes: number }
  | { readonly kind: 'incomplete'; readonly needBytes: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

/** Decodes the record at `offset` of `buf`, checking its length, checksum and fields. */
export function decodeRecordAt(buf: Buffer, offset: number): DecodedRecord {
  if (buf.length - offset < RECORD_HEADER_BYTES) return { kind: 'incomplete', needBytes: RECORD_HEADER_BYTES };
  const bodyBytes = buf.readUInt32LE(offset);
  if (bodyBytes < 2 || bodyBytes > MAX_RECORD_BODY_BYTES) return { kind: 'corrupt', reason: `impossible record length ${bodyBytes}` };
  const total = RECORD_HEADER_BYTES + bodyBytes;
  if (buf.length - offset < total) return { kind: 'incomplete', needBytes: total };
  const body = buf.subarray(offset + RECORD_HEADER_BYTES, offset + total);
  if (crc32(body) !== buf.readUInt32LE(offset + 4)) return { kind: 'corrupt', reason: 'checksum mismatch' };
  const nl = body.indexOf(0x0a);
  const fields = nl < 0 ? undefined : parseFields(body.toString('utf8', 0, nl));
  if (fields === undefined) return { kind: 'corrupt', reason: 'unreadable record header' };
  return { kind: 'record', record: { ...fields, payload: body.subarray(nl + 1) }, bytes: total };
}

function parseFields(text: string): Omit<OutboxRecord, 'payload'> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { s, t, q, r } = v as Record<string, unknown>;
  if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) return undefined;
  if (typeof t !== 'string' || typeof r !== 'boolean' || (q !== 0 && q !== 1 && q !== 2)) return undefined;
  return { seq: s, topic: t, qos: q, retain: r };
}
