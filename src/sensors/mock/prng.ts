/**
 * sfc32 ("small fast chaotic", Chris Doty-Humphrey): 128 bits of state in four 32-bit words, one
 * draw is a handful of integer operations and allocates nothing. Written by hand so the sequence
 * never changes under us with a dependency upgrade: same seed, same numbers, forever.
 */
export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** `seed` is taken modulo 2^32, so any integer works; see {@link seedFor} for per-sensor seeds. */
  constructor(seed: number) {
    // Spread one 32-bit word over the state with a bit mixer, then discard a few rounds: sfc32 is
    // weak for its first outputs when its state words are similar.
    const s = seed >>> 0;
    this.a = mix32(s ^ 0x9e3779b9);
    this.b = mix32(s ^ 0x243f6a88);
    this.c = mix32(s ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniformly distributed float in [0, 1) with 32 bits of randomness. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** The four state words as unsigned 32-bit integers (plain JSON). */
  snapshot(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Accepts what {@link Prng.snapshot} returned; throws on anything else. */
  restore(state: unknown): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every(isUint32)) {
      throw new Error('invalid PRNG snapshot: expected four unsigned 32-bit integers');
    }
    const [a, b, c, d] = state as [number, number, number, number];
    this.a = a | 0;
    this.b = b | 0;
    this.c = c | 0;
    this.d = d | 0;
  }
}

/**
 * Derives a sensor's own PRNG seed from the run's `--seed` and the sensor id (FNV-1a over the
 * seed's 8 little-endian bytes and the id's UTF-8 bytes, then a final avalanche). Each sensor owns
 * its PRNG, so adding, removing or reordering sensors never perturbs another sensor's sequence.
 *
 * @param seed a safe integer (negative values allowed); throws a RangeError otherwise.
 * @returns an unsigned 32-bit integer for {@link Prng}'s constructor.
 */
export function seedFor(seed: number, sensorId: string): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  const low = seed >>> 0;
  const high = Math.floor(seed / 4294967296) >>> 0;
  let h = 0x811c9dc5;
  h = fnvWord(h, low);
  h = fnvWord(h, high);
  for (let i = 0; i < sensorId.length; i++) {
    const cp = sensorId.codePointAt(i) ?? 0;
    if (cp > 0xffff) i++; // the surrogate pair's second half is part of this code point
    h = fnvUtf8(h, cp);
  }
  return mix32(h);
}

function fnvByte(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193) >>> 0;
}

function fnvWord(h: number, w: number): number {
  h = fnvByte(h, w & 0xff);
  h = fnvByte(h, (w >>> 8) & 0xff);
  h = fnvByte(h, (w >>> 16) & 0xff);
  return fnvByte(h, w >>> 24);
}

function fnvUtf8(h: number, cp: number): number {
  if (cp < 0x80) return fnvByte(h, cp);
  if (cp < 0x800) return fnvByte(fnvByte(h, 0xc0 | (cp >> 6)), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) {
    h = fnvByte(h, 0xe0 | (cp >> 12));
    h = fnvByte(h, 0x80 | ((cp >> 6) & 0x3f));
    return fnvByte(h, 0x80 | (cp & 0x3f));
  }
  h = fnvByte(h, 0xf0 | (cp >> 18));
  h = fnvByte(h, 0x80 | ((cp >> 12) & 0x3f));
  h = fnvByte(h, 0x80 | ((cp >> 6) & 0x3f));
  return fnvByte(h, 0x80 | (cp & 0x3f));
}

/** MurmurHash3's fmix32: every input bit affects every output bit. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function isUint32(v: unknown): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;
}
