import { describe, expect, it } from 'vitest';
import type { ValueType } from '../../../../src/config/model.js';
import { nmeaChecksum, nmeaCoordinate, nmeaDate, readNmeaSentence } from '../../../../src/sensors/serial/nmea-sentence.js';
import { parseNmea } from '../../../../src/sensors/serial/parse-nmea.js';
import type { ParseResult } from '../../../../src/sensors/serial/parse-result.js';

/** An independent checksum (XOR of the bytes between `$` and `*`), as two upper-case hex digits. */
function checksumOf(body: string): string {
  return [...Buffer.from(body, 'ascii')].reduce((a, b) => a ^ b, 0).toString(16).toUpperCase().padStart(2, '0');
}
/** A sentence with its checksum computed here, never typed in from memory. */
const nmea = (body: string): string => `$${body}*${checksumOf(body)}`;

// Real receiver output (bodies as sent; checksums recomputed above).
const GGA = 'GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,';
const RMC = 'GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W';
const UBLOX_RMC = 'GNRMC,083559.00,A,4717.11437,N,00833.91522,E,0.004,77.52,091202,,,A';
const SOUTH_WEST_GGA = 'GPGGA,002153.000,3342.6618,S,11751.3858,W,1,10,1.2,27.0,M,-34.2,M,,0000';
const NO_FIX_GGA = 'GPGGA,,,,,,0,00,99.99,,,,,,';
const VOID_RMC = 'GPRMC,,V,,,,,,,,,,N';
const GSV = 'GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00';

function brief(r: ParseResult): unknown {
  return r.kind === 'value' ? r.value : r.kind === 'garbage' ? `garbage: ${r.reason}` : 'skip';
}

describe('NMEA sentences', () => {
  it('the checksum is the XOR of the bytes between $ and *', () => {
    expect(nmeaChecksum('GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,').toString(16).toUpperCase()).toBe(checksumOf(GGA));
    expect(nmeaChecksum('')).toBe(0);
  });

  it('reads the talker, the type and the fields', () => {
    expect(readNmeaSentence(`${nmea(UBLOX_RMC)}\r`)).toEqual({
      sentence: { talker: 'GN', type: 'RMC', fields: UBLOX_RMC.split(',').slice(1) },
    });
    expect(readNmeaSentence(nmea('PUBX,00,1'))).toMatchObject({ sentence: { talker: 'P', type: 'UBX' } });
  });

  it('verifies published sentences verbatim', () => {
    expect(readNmeaSentence(`$${GGA}*47`)).toHaveProperty('sentence');
    expect(readNmeaSentence(`$${RMC}*6A`)).toHaveProperty('sentence');
  });

  it('accepts a lower-case checksum', () => {
    const line = nmea(GGA);
    expect(readNmeaSentence(line.slice(0, -2) + line.slice(-2).toLowerCase())).toHaveProperty('sentence');
  });

  it.each<[string, string]>([
    ['no leading $', GGA],
    ['no checksum', `$${GGA}`],
    ['a bad checksum field', `$${GGA}*4`],
    ['a mismatching checksum', `$${GGA}*${checksumOf(GGA) === '00' ? '01' : '00'}`],
    ['one flipped character', nmea(GGA).replace('4807.038', '4807.039')],
    ['a bad address', nmea('gp,1')],
  ])('refuses %s', (_name, line) => {
    expect(readNmeaSentence(line)).toHaveProperty('reason');
  });

  it('names both checksums on a mismatch', () => {
    const r = readNmeaSentence(`$${GGA}*00`);
    expect(r).toEqual({ reason: `NMEA checksum mismatch (computed ${checksumOf(GGA)}, sentence says 00)` });
  });

  it.each<[string, string, 'latitude' | 'longitude', number | undefined]>([
    ['4807.038', 'N', 'latitude', 48 + 7.038 / 60],
    ['3342.6618', 'S', 'latitude', -(33 + 42.6618 / 60)],
    ['01131.000', 'E', 'longitude', 11 + 31 / 60],
    ['11751.3858', 'W', 'longitude', -(117 + 51.3858 / 60)],
    ['0000.000', 'N', 'latitude', 0],
    ['4860.000', 'N', 'latitude', undefined],
    ['9100.000', 'N', 'latitude', undefined],
    ['4807.038', 'E', 'latitude', undefined],
    ['', 'N', 'latitude', undefined],
    ['48a7.038', 'N', 'latitude', undefined],
  ])('coordinate %s,%s (%s) -> %s', (text, hemisphere, axis, expected) => {
    const got = nmeaCoordinate(text, hemisphere, axis);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toBeCloseTo(expected, 9);
  });

  it('dates: two-digit years', () => {
    expect([nmeaDate('230394'), nmeaDate('091202'), nmeaDate('1')]).toEqual(['1994-03-23', '2002-12-09', undefined]);
  });
});

describe('parseNmea with a field', () => {
  it.each<[string, string, number]>([
    [GGA, 'latitude', 48.1173],
    [GGA, 'longitude', 11.516666667],
    [GGA, 'altitude', 545.4],
    [GGA, 'fix_quality', 1],
    [GGA, 'satellites', 8],
    [GGA, 'hdop', 0.9],
    [RMC, 'latitude', 48.1173],
    [RMC, 'speed_knots', 22.4],
    [RMC, 'speed', (22.4 * 1852) / 3600],
    [RMC, 'course', 84.4],
    [UBLOX_RMC, 'latitude', 47 + 17.11437 / 60],
    [UBLOX_RMC, 'longitude', 8 + 33.91522 / 60],
    [SOUTH_WEST_GGA, 'latitude', -(33 + 42.6618 / 60)],
    [SOUTH_WEST_GGA, 'longitude', -(117 + 51.3858 / 60)],
    [NO_FIX_GGA, 'fix_quality', 0],
    [NO_FIX_GGA, 'satellites', 0],
  ])('%s: %s = %s', (body, field, expected) => {
    const r = parseNmea(nmea(body), field, 'number');
    expect(r.kind).toBe('value');
    expect(r.kind === 'value' ? r.value : NaN).toBeCloseTo(expected, 6);
  });

  it.each<[string, string, ValueType, unknown]>([
    [GSV, 'latitude', 'number', 'skip'],
    [RMC, 'altitude', 'number', 'skip'],
    [GGA, 'speed', 'number', 'skip'],
    [NO_FIX_GGA, 'latitude', 'number', 'garbage: no fix (GGA fix quality 0)'],
    [VOID_RMC, 'speed', 'number', 'garbage: no fix (RMC status V, void)'],
    ['GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,N', 'latitude', 'number', 'garbage: no fix (RMC mode N, not valid)'],
    ['GPRMC,123519,A,4807.038,N,01131.000,E,0.0,,230394,,,A', 'course', 'number', 'garbage: RMC sentence has no course (empty field)'],
    ['GPGGA,123519,48x7.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,', 'altitude', 'number', 'garbage: bad GGA latitude "48x7.038,N"'],
    ['GPGGA,123519,4807.038,N,01131.000,E,,08,0.9,545.4,M,46.9,M,,', 'altitude', 'number', 'garbage: bad GGA fix quality ""'],
    ['GPRMC,123519,X,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W', 'speed', 'number', 'garbage: bad RMC status "X"'],
    [GGA, 'heading', 'number', 'garbage: unknown nmea field "heading" (one of latitude, longitude, altitude, fix_quality, satellites, hdop, speed_knots, speed, course)'],
    [GGA, 'satellites', 'string', '8'],
  ])('%s: %s as %s -> %j', (body, field, type, expected) => {
    expect(brief(parseNmea(nmea(body), field, type))).toEqual(expected);
  });

  it('a bad checksum is garbage even for a sentence the field would skip', () => {
    expect(brief(parseNmea(`$${GSV}*00`, 'latitude', 'number'))).toMatch(/^garbage: NMEA checksum mismatch/);
    expect(brief(parseNmea('garbage from the wrong baud rate', 'latitude', 'number'))).toBe('garbage: not an NMEA sentence (no leading $)');
  });
});

describe('parseNmea without a field', () => {
  it('delivers the whole GGA fix to a json sensor', () => {
    expect(brief(parseNmea(nmea(GGA), undefined, 'json'))).toEqual({
      sentence: 'GGA',
      talker: 'GP',
      time: '12:35:19',
      latitude: expect.closeTo(48.1173, 6),
      longitude: expect.closeTo(11.516666667, 6),
      altitude: 545.4,
      fix_quality: 1,
      satellites: 8,
      hdop: 0.9,
    });
  });

  it('delivers the whole RMC fix, with null for empty fields', () => {
    expect(brief(parseNmea(nmea('GNRMC,083559.00,A,4717.11437,N,00833.91522,E,,,091202,,,A'), undefined, 'json'))).toEqual({
      sentence: 'RMC',
      talker: 'GN',
      time: '08:35:59.00',
      date: '2002-12-09',
      latitude: expect.closeTo(47 + 17.11437 / 60, 9),
      longitude: expect.closeTo(8 + 33.91522 / 60, 9),
      speed_knots: null,
      speed: null,
      course: null,
    });
  });

  it('skips other sentences, and reports no fix', () => {
    expect(brief(parseNmea(nmea(GSV), undefined, 'json'))).toBe('skip');
    expect(brief(parseNmea(nmea(VOID_RMC), undefined, 'json'))).toBe('garbage: no fix (RMC status V, void)');
  });

  it('tells a number sensor without field what to set', () => {
    expect(brief(parseNmea(nmea(GGA), undefined, 'number'))).toMatch(/^garbage: without field, parser nmea delivers whole fixes: set type: json, or field: one of latitude/);
  });
});
