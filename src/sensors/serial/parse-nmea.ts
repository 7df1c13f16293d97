import type { JsonValue, ValueType } from '../../config/model.js';
import { coerceValue } from './coerce-value.js';
import { nmeaCoordinate, nmeaDate, nmeaNumber, type NmeaSentence, nmeaTime, readNmeaSentence } from './nmea-sentence.js';
import { garbage, type ParseResult, SKIP, value } from './parse-result.js';
import { NMEA_FIELDS } from '../../config/schema-sensor-kinds.js';

/**
 * The `field`s of `parser: nmea` (the list lives with the schema, which checks it at load time).
 * From GGA: latitude, longitude (signed decimal degrees), altitude (metres above mean sea level),
 * fix_quality (0 none, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, ...), satellites (in use), hdop.
 * From RMC: latitude, longitude, speed_knots, speed (m/s), course (degrees true).
 */
export { NMEA_FIELDS };

export type NmeaField = (typeof NMEA_FIELDS)[number];

const GGA_FIELDS: ReadonlySet<string> = new Set(['latitude', 'longitude', 'altitude', 'fix_quality', 'satellites', 'hdop']);
const RMC_FIELDS: ReadonlySet<string> = new Set(['latitude', 'longitude', 'speed_knots', 'speed', 'course']);
/** Fields that mean something without a position fix. */
const WITHOUT_FIX: ReadonlySet<string> = new Set(['fix_quality', 'satellites']);
const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;

type Fix = Record<string, JsonValue>;
type Decoded = { readonly fix: Fix; readonly noFix: string | undefined } | { readonly reason: string };

/**
 * `parser: nmea`: GGA and RMC sentences from any talker (`$GPGGA`, `$GNRMC`, ...), checksum
 * verified. With `field`, that one value, from the sentences that carry it; other sentences are
 * skipped (not garbage). Without `field`, each GGA/RMC fix as an object (a `json` sensor):
 * `{sentence, talker, time, latitude, longitude, ...}` with `null` for empty fields.
 *
 * Garbage: a bad or missing checksum, a malformed field, and "no fix" (GGA fix quality 0, RMC
 * status V or mode N), except for `fix_quality` and `satellites`, which are read regardless.
 */
export function parseNmea(line: string, field: string | undefined, valueType: ValueType): ParseResult {
  if (field !== undefined && !(NMEA_FIELDS as readonly string[]).includes(field)) {
    return garbage(`unknown nmea field "${field}" (one of ${NMEA_FIELDS.join(', ')})`);
  }
  if (field === undefined && valueType !== 'json') {
    return garbage(`without field, parser nmea delivers whole fixes: set type: json, or field: one of ${NMEA_FIELDS.join(', ')}`);
  }
  const read = readNmeaSentence(line);
  if ('reason' in read) return garbage(read.reason);
  const { sentence } = read;
  let decoded: Decoded;
  if (sentence.type === 'GGA' && (field === undefined || GGA_FIELDS.has(field))) decoded = decodeGga(sentence);
  else if (sentence.type === 'RMC' && (field === undefined || RMC_FIELDS.has(field))) decoded = decodeRmc(sentence);
  else return SKIP;
  if ('reason' in decoded) return garbage(decoded.reason);
  if (field === undefined || !WITHOUT_FIX.has(field)) {
    if (decoded.noFix !== undefined) return garbage(`no fix (${decoded.noFix})`);
  }
  if (field === undefined) return value(decoded.fix);
  const v = decoded.fix[field];
  if (v === null || v === undefined) return garbage(`${sentence.type} sentence has no ${field} (empty field)`);
  return coerceValue(v, valueType);
}

/** `$--GGA,time,lat,N,lon,E,fix,sats,hdop,alt,M,geoid,M,age,station*hh` */
function decodeGga(s: NmeaSentence): Decoded {
  const f = s.fields;
  const fixQuality = nmeaNumber(f[5]);
  if (fixQuality === undefined || !Number.isInteger(fixQuality)) return { reason: `bad GGA fix quality "${f[5] ?? ''}"` };
  const noFix = fixQuality === 0 ? 'GGA fix quality 0' : undefined;
  const position = positionOf(s, 1, noFix === undefined);
  if ('reason' in position) return position;
  const fix: Fix = {
    sentence: 'GGA',
    talker: s.talker,
    time: nmeaTime(f[0]) ?? null,
    ...position,
    altitude: nmeaNumber(f[8]) ?? null,
    fix_quality: fixQuality,
    satellites: nmeaNumber(f[6]) ?? null,
    hdop: nmeaNumber(f[7]) ?? null,
  };
  return { fix, noFix };
}

/** `$--RMC,time,status,lat,N,lon,E,knots,course,ddmmyy,magvar,E[,mode[,navstatus]]*hh` */
function decodeRmc(s: NmeaSentence): Decoded {
  const f = s.fields;
  const status = f[1] ?? '';
  if (status !== 'A' && status !== 'V') return { reason: `bad RMC status "${status}"` };
  // NMEA 2.3 added a mode indicator; N (not valid) can accompany an A status on some receivers.
  const noFix = status === 'V' ? 'RMC status V, void' : f[11] === 'N' ? 'RMC mode N, not valid' : undefined;
  const position = positionOf(s, 2, noFix === undefined);
  if ('reason' in position) return position;
  const knots = nmeaNumber(f[6]);
  const fix: Fix = {
    sentence: 'RMC',
    talker: s.talker,
    time: nmeaTime(f[0]) ?? null,
    date: nmeaDate(f[8]) ?? null,
    ...position,
    speed_knots: knots ?? null,
    speed: knots === undefined ? null : knots * METRES_PER_SECOND_PER_KNOT,
    course: nmeaNumber(f[7]) ?? null,
  };
  return { fix, noFix };
}

/** Latitude and longitude from the four fields at `at`; malformed ones are garbage when a fix is claimed. */
function positionOf(s: NmeaSentence, at: number, required: boolean): { latitude: number | null; longitude: number | null } | { reason: string } {
  const f = s.fields;
  const latitude = nmeaCoordinate(f[at] ?? '', f[at + 1] ?? '', 'latitude');
  const longitude = nmeaCoordinate(f[at + 2] ?? '', f[at + 3] ?? '', 'longitude');
  if (required && latitude === undefined) return { reason: `bad ${s.type} latitude "${f[at] ?? ''},${f[at + 1] ?? ''}"` };
  if (required && longitude === undefined) return { reason: `bad ${s.type} longitude "${f[at + 2] ?? ''},${f[at + 3] ?? ''}"` };
  return { latitude: latitude ?? null, longitude: longitude ?? null };
}
