import { describe, expect, it } from 'vitest';
import { LineSplitter, type SplitLine } from '../../../../src/sensors/serial/line-splitter.js';

const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const texts = (lines: SplitLine[]): string[] => lines.map((l) => (l.ok ? l.text : `!${l.reason}`));

describe('LineSplitter', () => {
  it.each<[string, string[], string[]]>([
    ['LF', ['a\nb\n'], ['a', 'b']],
    ['CRLF', ['21.5\r\n22.0\r\n'], ['21.5', '22.0']],
    ['bare CR', ['x\ry\r'], ['x', 'y']],
    ['empty and blank lines skipped', ['\n\r\n  \n\t\nv\n'], ['v']],
    ['a line split across chunks', ['12', '.', '5\r', '\n'], ['12.5']],
    ['several lines in one chunk, the last one partial', ['1\n2\n3'], ['1', '2']],
    ['CR and LF in different chunks', ['a\r', '\nb\n'], ['a', 'b']],
    ['spaces inside a line are kept', ['  x y  \n'], ['  x y  ']],
  ])('%s', (_name, chunks, expected) => {
    const s = new LineSplitter();
    expect(chunks.flatMap((c) => texts(s.push(bytes(c))))).toEqual(expected);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const s = new LineSplitter();
    const all = bytes('23.5 °C\n');
    const cut = all.indexOf(0xb0); // the second byte of "°" (c2 b0)
    expect([...s.push(all.subarray(0, cut)), ...s.push(all.subarray(cut))]).toEqual([{ ok: true, text: '23.5 °C' }]);
  });

  it('reports invalid UTF-8 as a problem, with a readable excerpt', () => {
    const s = new LineSplitter();
    const [line] = s.push(Uint8Array.from([0x31, 0xff, 0xfe, 0x32, 0x0a]));
    expect(line).toMatchObject({ ok: false, reason: 'not valid UTF-8' });
    expect(line?.ok === false && line.excerpt).toBe('1\uFFFD\uFFFD2');
  });

  it('bounds an over-long line: reported once as soon as it overflows, dropped up to the next terminator', () => {
    const s = new LineSplitter(8);
    expect(texts(s.push(bytes('0123')))).toEqual([]);
    expect(texts(s.push(bytes('456789')))).toEqual(['!line longer than 8 bytes (dropped)']);
    expect(texts(s.push(bytes('more garbage without end')))).toEqual([]);
    expect(texts(s.push(bytes('tail\nok\n')))).toEqual(['ok']);
  });

  it('accepts a line of exactly the maximum length', () => {
    const s = new LineSplitter(4);
    expect(texts(s.push(bytes('1234\n')))).toEqual(['1234']);
  });

  it('reset() forgets a partial line', () => {
    const s = new LineSplitter();
    s.push(bytes('half a li'));
    s.reset();
    expect(texts(s.push(bytes('ne\nwhole\n')))).toEqual(['ne', 'whole']);
  });

  it('copies chunk bytes, so a port reusing its buffer cannot corrupt a pending line', () => {
    const s = new LineSplitter();
    const buf = bytes('abc');
    s.push(buf);
    buf.fill(0x7a);
    expect(texts(s.push(bytes('\n')))).toEqual(['abc']);
  });
});
