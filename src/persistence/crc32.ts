import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, the zlib/gzip polynomial) of `data`, continuing from `previous` (the CRC of
 * the bytes before it, 0 to start). Journal records are mostly a few dozen bytes, where a call
 * into native code costs more than the arithmetic, so short inputs use the table in JS; long ones
 * use zlib's native crc32 (Node >= 20.15) when there is one. Both give the same numbers.
 */
export function crc32(data: Uint8Array, previous = 0): number {
  if (data.length >= NATIVE_FROM_BYTES && nativeCrc32 !== undefined) return nativeCrc32(data, previous);
  return tableCrc32(data, 0, data.length, previous);
}

/** CRC-32 of `data[start, end)`, without making a subarray (the journal reader's hot path). */
export function crc32Range(data: Uint8Array, start: number, end: number): number {
  if (end - start >= NATIVE_FROM_BYTES && nativeCrc32 !== undefined) return nativeCrc32(data.subarray(start, end), 0);
  return tableCrc32(data, start, end, 0);
}

/** Below this many bytes the JS table beats the native call (measured with persistence-bench). */
const NATIVE_FROM_BYTES = 80;

type Crc32Fn = (data: Uint8Array, value?: number) => number;

const nativeCrc32: Crc32Fn | undefined = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

function tableCrc32(data: Uint8Array, start: number, end: number, previous: number): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = (TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The CRC's lookup table: a constant, computed once. */
const TABLE = makeTable();

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The portable implementation alone, for the test that keeps it equal to zlib's. */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  return tableCrc32(data, 0, data.length, previous);
}
