/**
 * Reads a decimal number straight from payload bytes, without building a string: the ingest path
 * of number sensors runs for every message. Accepts what a device sends as a number: optional
 * ASCII whitespace around, an optional sign, digits with an optional fraction (`12`, `-0.5`,
 * `.5`, `3.`), an optional exponent (`1e3`, `2.5E-4`). Anything else (empty, `NaN`, `Infinity`,
 * `0x10`, `1,5`, `12 degC`) gives NaN.
 *
 * Short numbers take the exact fast path (at most 15 significant digits and a power of ten up to
 * 22: the mantissa and the power are both exact doubles, so one multiplication or division rounds
 * correctly, as Number() would). Longer ones fall back to Number() on the validated text.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const ZERO = 48;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= ZERO + 9;
}

/** The number written in `bytes` (see the module comment), or NaN. */
export function parseDecimal(bytes: Uint8Array): number {
  let end = bytes.length;
  let i = 0;
  while (i < end && isSpace(bytes[i] as number)) i++;
  while (end > i && isSpace(bytes[end - 1] as number)) end--;
  const start = i;
  let negative = false;
  if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) negative = bytes[i++] === MINUS;
  let mantissa = 0;
  let significant = 0;
  let scale = 0;
  let digits = 0;
  for (; i < end && isDigit(bytes[i] as number); i++, digits++) {
    if (mantissa === 0 && bytes[i] === ZERO) continue;
    if (significant < 16) mantissa = mantissa * 10 + ((bytes[i] as number) - ZERO);
    else scale++;
    significant++;
  }
  if (i < end && bytes[i] === DOT) {
    for (i++; i < end && isDigit(bytes[i] as number); i++, digits++) {
      if (mantissa === 0 && bytes[i] === ZERO) {
        scale--;
        continue;
      }
      if (significant < 16) {
        mantissa = mantissa * 10 + ((bytes[i] as number) - ZERO);
        scale--;
      }
      significant++;
    }
  }
  if (digits === 0) return NaN;
  let exponent = 0;
  if (i < end && (bytes[i] === 101 || bytes[i] === 69)) {
    i++;
    let expNegative = false;
    if (i < end && (bytes[i] === MINUS || bytes[i] === PLUS)) expNegative = bytes[i++] === MINUS;
    const expStart = i;
    // Clamped: past 400 every double is 0 or Infinity anyway, and a huge exponent must not overflow.
    for (; i < end && isDigit(bytes[i] as number); i++) exponent = Math.min(exponent * 10 + ((bytes[i] as number) - ZERO), 100_000);
    if (i === expStart) return NaN;
    if (expNegative) exponent = -exponent;
  }
  if (i !== end) return NaN;
  const power = scale + exponent;
  let v: number;
  if (significant <= 15 && power >= -22 && power <= 22) {
    v = power < 0 ? mantissa / (POW10[-power] as number) : mantissa * (POW10[power] as number);
  } else if (mantissa === 0) {
    v = 0;
  } else {
    // Rare: long or extreme numbers. The text is already validated, so Number() reads it exactly.
    v = Math.abs(Number(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1')));
  }
  return negative ? -v : v;
}
