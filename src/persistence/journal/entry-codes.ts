/**
 * How one sensor's entry in a journal record is written. The entry's code byte holds the read
 * status in bits 0-2 (ReadStatus: 1 Ok, 2 Timeout, 3 Error, 4 Garbage; None is never written)
 * and one of these kinds in bits 3-5, which says what follows the code byte.
 *
 * "Same" refers to the last entry of the same sensor earlier in the same segment (each segment
 * starts afresh, so it can be read alone): the last Ok value for an Ok entry, the last error text
 * for a failure. It keeps every reading's status (and so sensor health) exact while an unchanged
 * value costs two bytes.
 */
export const EntryKind = {
  /** Ok: the sensor's last journaled value. Failure: its last journaled error text. No body. */
  Same: 0,
  /** A float64, 8 bytes little-endian. */
  F64: 1,
  /** An integer in [-2^31, 2^31) (booleans are 0/1): zigzag varint. Not -0. */
  Int: 2,
  /** A number that a float32 holds exactly: 4 bytes little-endian. */
  F32: 3,
  /** A string or JSON reading: varint byte length + UTF-8 JSON text. */
  Json: 4,
  /** A failure's error text: varint byte length + UTF-8. */
  Text: 5,
  /** A failure without error text. No body. */
  NoText: 6,
} as const;
export type EntryKind = (typeof EntryKind)[keyof typeof EntryKind];

export const STATUS_MASK = 0x07;
export const KIND_SHIFT = 3;
