/** One NMEA 0183 sentence whose checksum was verified. */
export interface NmeaSentence {
  /** `GP`, `GN`, `GL`, `GA`, `BD`, ... (`P` for proprietary sentences). */
  readonly talker: string;
  /** `GGA`, `RMC`, `GSV`, ... */
  readonly type: string;
  /** The comma-separated fields after the address; `fields[0]` is the sentence's field 1. */
  readonly fields: readonly string[];
}

/** The NMEA checksum: XOR of the character codes of `body` (what lies between `$` and `*`). */
export function nmeaChecksum(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum ^= body.charCodeAt(i);
  return sum & 0xff;
}

const HEX2 = /^[0-9A-Fa-f]{2}$/;

/**
 * Reads `$<address>,<fields...>*hh`. A sentence without a checksum, or whose checksum does not
 * match, is refused: serial noise and a wrong baud rate produce plausible-looking text, and the
 * checksum is what tells them apart.
 */
export function readNmeaSentence(line: string): { sentence: NmeaSentence } | { reason: string } {
  const text = line.trim();
  if (!text.startsWith('$')) return { reason: 'not an NMEA sentence (no leading $)' };
  const star = text.lastIndexOf('*');
  if (star < 0) return { reason: 'NMEA sentence without checksum' };
  const given = text.slice(star + 1);
  if (!HEX2.test(given)) return { reason: `bad NMEA checksum field "*${given}"` };
  const body = text.slice(1, star);
  const computed = nmeaChecksum(body);
  if (computed !== parseInt(given, 16)) {
    return { reason: `NMEA checksum mismatch (computed ${hex2(computed)}, sentence says ${given.toUpperCase()})` };
  }
  const [address = '', ...fields] = body.split(',');
  if (!/^[A-Z0-9]{3,}$/.test(address)) return { reason: `bad NMEA address "${address}"` };
  const proprietary = address.startsWith('P');
  const talker = proprietary ? 'P' : address.slice(0, 2);
  const type = proprietary ? address.slice(1) : address.slice(2);
  return { sentence: { talker, type, fields } };
}

const COORD = /^(\d+)(\d\d(?:\.\d*)?)$/;

/**
 * `ddmm.mmmm` (latitude) or `dddmm.mmmm` (longitude) plus its hemisphere, as signed decimal
 * degrees (south and west negative); undefined when either part is empty or malformed.
 */
export function nmeaCoordinate(text: string, hemisphere: string, axis: 'latitude' | 'longitude'): number | undefined {
  const m = COORD.exec(text);
  if (m === null || m[1] === undefined || m[2] === undefined) return undefined;
  const degrees = Number(m[1]);
  const minutes = Number(m[2]);
  const maxDegrees = axis === 'latitude' ? 90 : 180;
  if (minutes >= 60 || degrees + minutes / 60 > maxDegrees) return undefined;
  const [positive, negative] = axis === 'latitude' ? ['N', 'S'] : ['E', 'W'];
  const sign = hemisphere === positive ? 1 : hemisphere === negative ? -1 : 0;
  if (sign === 0) return undefined;
  return sign * (degrees + minutes / 60);
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** A plain decimal NMEA field as a number; undefined when empty or malformed. */
export function nmeaNumber(text: string | undefined): number | undefined {
  return text !== undefined && DECIMAL.test(text) ? Number(text) : undefined;
}

/** `hhmmss(.ss)` as `hh:mm:ss(.ss)`, undefined when malformed. */
export function nmeaTime(text: string | undefined): string | undefined {
  const m = text === undefined ? null : /^(\d\d)(\d\d)(\d\d(?:\.\d+)?)$/.exec(text);
  return m === null ? undefined : `${m[1]}:${m[2]}:${m[3]}`;
}

/** RMC's `ddmmyy` as `yyyy-mm-dd` (years 80..99 are 1980..1999), undefined when malformed. */
export function nmeaDate(text: string | undefined): string | undefined {
  const m = text === undefined ? null : /^(\d\d)(\d\d)(\d\d)$/.exec(text);
  if (m === null || m[3] === undefined) return undefined;
  const yy = Number(m[3]);
  return `${yy >= 80 ? 1900 + yy : 2000 + yy}-${m[2]}-${m[1]}`;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
