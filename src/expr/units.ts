import Qty from 'js-quantities';

/**
 * Units, resolved once at load time. js-quantities does the dimension algebra; spatia adds the
 * rule that `degC`, `°C`, `degF`, `°F` and `K` written by a user mean absolute temperatures
 * (js-quantities reads `degC` as a temperature difference), and precomputes every conversion as
 * an affine map so the tick never parses a unit.
 */
export interface Unit {
  /** The js-quantities unit string (`tempC`, `m/s`, `ppm`); `''` for a plain number. */
  readonly name: string;
  /** True for absolute temperature scales (tempC, tempF, tempK). */
  readonly absTemp: boolean;
  /** What to print in messages: the unit as the user wrote it when known. */
  readonly display: string;
}

/** y = (x + pre) * mul + post. Linear units have pre = post = 0. */
export interface Affine {
  readonly pre: number;
  readonly mul: number;
  readonly post: number;
}

export const NO_UNIT: Unit = { name: '', absTemp: false, display: '' };
export const IDENTITY: Affine = { pre: 0, mul: 1, post: 0 };

const ABSOLUTE_TEMPERATURES: Readonly<Record<string, string>> = {
  degC: 'tempC',
  '°C': 'tempC',
  celsius: 'tempC',
  tempC: 'tempC',
  degF: 'tempF',
  '°F': 'tempF',
  fahrenheit: 'tempF',
  tempF: 'tempF',
  K: 'tempK',
  kelvin: 'tempK',
  tempK: 'tempK',
};

const cache = new Map<string, Unit | null>();

/** Resolves a unit as a user writes it, or undefined if js-quantities does not know it. */
export function lookupUnit(text: string): Unit | undefined {
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const unit = resolve(text.trim());
  cache.set(text, unit ?? null);
  return unit;
}

function resolve(text: string): Unit | undefined {
  if (text === '') return NO_UNIT;
  const abs = ABSOLUTE_TEMPERATURES[text];
  if (abs !== undefined) return { name: abs, absTemp: true, display: text };
  // js-quantities spells micro as `u`; accept the µ sign users type.
  const normal = text.replace(/µ/g, 'u').replace(/°/g, 'deg');
  if (/^[0-9.+-]/.test(normal)) return undefined;
  try {
    const q = Qty(normal);
    if (q.scalar !== 1) return undefined;
    return { name: q.units(), absTemp: false, display: text };
  } catch {
    return undefined;
  }
}

/** True when both measure the same dimension (plain numbers fit any dimensionless unit). */
export function sameDimension(a: Unit, b: Unit): boolean {
  if (a.name === b.name) return true;
  if (a.absTemp !== b.absTemp) return false;
  if (a.name === '' || b.name === '') return kindOf(a) === 'unitless' && kindOf(b) === 'unitless';
  try {
    return Qty(a.name).isCompatible(Qty(b.name));
  } catch {
    return false;
  }
}

/** The js-quantities kind (`temperature`, `length`, `unitless`, ...). */
export function kindOf(u: Unit): string {
  if (u.name === '') return 'unitless';
  return Qty(u.name).kind();
}

/** The affine map from one unit to another of the same dimension; undefined if incompatible. */
export function conversion(from: Unit, to: Unit): Affine | undefined {
  if (from.name === to.name) return IDENTITY;
  if (!sameDimension(from, to)) return undefined;
  if (from.absTemp) return temperature(from.name, to.name);
  if (from.name === '' || to.name === '') {
    const f = from.name === '' ? 1 : Qty(from.name).toBase().scalar;
    const t = to.name === '' ? 1 : Qty(to.name).toBase().scalar;
    return { pre: 0, mul: f / t, post: 0 };
  }
  const mul = Qty.swiftConverter(from.name, to.name)(1);
  return { pre: 0, mul, post: 0 };
}

// Written out by hand so that 68 °F converts to exactly 20 °C (a composed converter gives
// 20.000000000000057, and users compare temperatures with ==).
const TEMPERATURE: Readonly<Record<string, Affine>> = {
  'tempF>tempC': { pre: -32, mul: 5 / 9, post: 0 },
  'tempC>tempF': { pre: 0, mul: 9 / 5, post: 32 },
  'tempC>tempK': { pre: 273.15, mul: 1, post: 0 },
  'tempK>tempC': { pre: -273.15, mul: 1, post: 0 },
  'tempF>tempK': { pre: -32, mul: 5 / 9, post: 273.15 },
  'tempK>tempF': { pre: -273.15, mul: 9 / 5, post: 32 },
};

function temperature(from: string, to: string): Affine | undefined {
  return TEMPERATURE[`${from}>${to}`];
}

/** Applies an affine map; exact for the identity. */
export function applyAffine(a: Affine, x: number): number {
  return (x + a.pre) * a.mul + a.post;
}

/** The unit of a product or quotient, or undefined when the algebra is meaningless (tempC * s). */
export function combine(a: Unit, b: Unit, op: '*' | '/'): Unit | undefined {
  if (a.absTemp || b.absTemp) return undefined;
  if (a.name === '' && b.name === '') return NO_UNIT;
  try {
    const qa = a.name === '' ? Qty('1') : Qty(a.name);
    const qb = b.name === '' ? Qty('1') : Qty(b.name);
    const q = op === '*' ? qa.mul(qb) : qa.div(qb);
    const name = q.units();
    return { name, absTemp: false, display: name };
  } catch {
    return undefined;
  }
}

/** The unit of a difference of two absolute temperatures: the matching difference unit. */
export function temperatureDifference(u: Unit): Unit {
  const name = u.name === 'tempF' ? 'degF' : u.name === 'tempC' ? 'degC' : 'degK';
  return { name, absTemp: false, display: `${u.display} difference` };
}

/** Reads a time quantity (`30s`, `5min`, `1.5 h`) as microseconds; undefined if not a time. */
export function timeToUs(value: number, unit: Unit): number | undefined {
  if (unit.name === '') return Math.round(value * 1e6);
  if (unit.absTemp || kindOf(unit) !== 'time') return undefined;
  return Math.round(Qty.swiftConverter(unit.name, 's')(value) * 1e6);
}
