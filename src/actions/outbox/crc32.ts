import * as zlib from 'node:zlib';

/**
 * CRC-32 (IEEE 802.3, as zlib and gzip compute it) of `data`. Node >= 20.15 has it native in
 * zlib; older Node 20 releases get the table version, which gives the same numbers.
 */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 !== undefined ? nativeCrc32(data) : tableCrc32(data);
}

type Crc32Fn = (data: Uint8Array) => number;

const nativeCrc32: Crc32Fn | undefined = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

function tableCrc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = (TABLE[(c ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A constant (the CRC's lookup table), computed once. */
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

/** The portable implementation, exported for the test that keeps both equal. */
export const crc32Portable: Crc32Fn = tableCrc32;
