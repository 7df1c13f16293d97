/** Slots of {@link Prng}'s state: the four sfc32 words, then the last output. */
const A = 0;
const B = 1;
const C = 2;
const D = 3;
const OUT = 4;

/**
 * sfc32 ("small fast chaotic", Chris Doty-Humphrey): 128 bits of state in four 32-bit words, one
 * draw is a handful of integer operations and allocates nothing. Written by hand so the sequence
 * never changes under us with a dependency upgrade: same seed, same numbers, forever.
 */
export class Prng {
  /**
   * a, b, c, d and the last output. An Int32Array rather than fields: V8 keeps an int32 outside
   * the 31-bit Smi range in a field, or returns it from a call it does not inline, as a heap
   * number, so fields and return values would allocate on about half the draws.
   */
  private readonly s = new Int32Array(5);

  /** `seed` is taken modulo 2^32, so any integer works; see {@link seedFor} for per-sensor seeds. */
  constructor(seed: number) {
    // Spread one 32-bit word over the state with a bit mixer, then discard a few rounds: sfc32 is
    // weak for its first outputs when its state words are similar.
    const x = seed >>> 0;
    this.s[A] = mix32(x ^ 0x9e3779b9);
    this.s[B] = mix32(x ^ 0x243f6a88);
    this.s[C] = mix32(x ^ 0xb7e15162);
    this.s[D] = 1;
    for (let i = 0; i < 12; i++) this.advance();
  }

  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number {
    this.advance();
    return (this.s[OUT] as number) >>> 0;
  }

  /** A uniformly distributed float in [0, 1) with 32 bits of randomness. */
  next(): number {
    this.advance();
    return ((this.s[OUT] as number) >>> 0) / 4294967296;
  }

  /**
   * Stores {@link Prng.next}'s draw into `out[index]` instead of returning it: a double returned
   * from a call V8 does not inline is boxed on the heap, and the sampler draws on every tick.
   */
  nextInto(out: Float64Array, index: number): void {
    this.advance();
    out[index] = ((this.s[OUT] as number) >>> 0) / 4294967296;
  }

  /** The four state words as unsigned 32-bit integers (plain JSON). */
  snapshot(): [number, number, number, number] {
    const s = this.s;
    return [(s[A] as number) >>> 0, (s[B] as number) >>> 0, (s[C] as number) >>> 0, (s[D] as number) >>> 0];
  }

  /** Accepts what {@link Prng.snapshot} returned; throws on anything else. */
  restore(state: unknown): void {
    if (!Array.isArray(state) || state.length !== 4 || !state.every(isUint32)) {
      throw new Error('invalid PRNG snapshot: expected four unsigned 32-bit integers');
    }
    // The Int32Array wraps each word to its signed 32-bit form, which is what the steps compute on.
    this.s.set(state as number[], A);
  }

  /** One sfc32 step; its output, as a signed int32, goes to `s[OUT]` (see `s` for why). */
  private advance(): void {
    const s = this.s;
    const a = s[A] as number;
    const b = s[B] as number;
    const c = s[C] as number;
    const d = s[D] as number;
    const t = (((a + b) | 0) + d) | 0;
    s[D] = (d + 1) | 0;
    s[A] = b ^ (b >>> 9);
    s[B] = (c + (c << 3)) | 0;
    s[C] = (((c << 21) | (c >>> 11)) + t) | 0;
    s[OUT] = t;
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
