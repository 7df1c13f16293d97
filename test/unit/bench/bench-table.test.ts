import { describe, expect, it } from 'vitest';
import type { Figure } from '../../bench/bench-figure.js';
import { benchReport, byGroup, formatBenchTable, formatTarget, formatValue, verdictOf } from '../../bench/bench-table.js';

const figures: Figure[] = [
  { id: 'eval.1k.poll', group: 'evaluation per tick', name: '1,000 conditions, poll', value: 126.54, unit: 'µs/tick', target: { op: '<=', value: 100 } },
  { id: 'eval.1k.event', group: 'evaluation per tick', name: '1,000 conditions, event', value: 88.1, unit: 'µs/tick', target: { op: '<=', value: 100 } },
  { id: 'eval.sampling', group: 'evaluation per tick', name: 'sampling', value: 35.2, unit: 'µs/tick' },
  { id: 'mqtt.plain', group: 'MQTT ingest', name: 'plain payloads, highest rate sustained', value: 50000, unit: 'msg/s', target: { op: '>=', value: 20000 } },
  { id: 'mqtt.json', group: 'MQTT ingest', name: 'JSON payloads', value: null, unit: 'msg/s', target: { op: '>=', value: 20000 }, skipped: 'no mosquitto' },
  { id: 'mem.rss', group: 'memory', name: 'RSS of the demo', value: 80, unit: 'MB', target: { op: '<', value: 80 }, note: 'peak' },
  { id: 'persist.failed', group: 'persistence', name: 'persistence-bench', value: null, unit: '', failed: 'exit code 1' },
];

describe('bench table', () => {
  it('formats values with sensible precision and no exponent', () => {
    expect(formatValue(6134169.4)).toBe('6,134,169');
    expect(formatValue(126.54)).toBe('126.5');
    expect(formatValue(12)).toBe('12');
    expect(formatValue(1.4536)).toBe('1.45');
    expect(formatValue(0.685)).toBe('0.685');
    expect(formatValue(0.00028)).toBe('0.000280');
    expect(formatValue(-3.5)).toBe('-3.50');
    expect(formatValue(null)).toBe('-');
    expect(formatTarget({ op: '>=', value: 1_000_000 })).toBe('≥ 1,000,000');
    expect(formatTarget({ op: '<', value: 1 })).toBe('< 1');
    expect(formatTarget(undefined)).toBe('');
  });

  it('judges each figure against its target', () => {
    expect(figures.map(verdictOf)).toEqual(['MISS', 'ok', '', 'ok', 'skip', 'MISS', 'FAILED']);
  });

  it('prints one aligned table with group rows, notes last, and what missed', () => {
    expect(formatBenchTable(figures, 'spatia benchmarks (quick)')).toBe(
      [
        'spatia benchmarks (quick)',
        'figure                                     value  unit     target    ok?',
        '----------------------------------------  ------  -------  --------  ------',
        'evaluation per tick',
        '  1,000 conditions, poll                   126.5  µs/tick  ≤ 100     MISS',
        '  1,000 conditions, event                  88.10  µs/tick  ≤ 100     ok',
        '  sampling                                 35.20  µs/tick',
        'MQTT ingest',
        '  plain payloads, highest rate sustained  50,000  msg/s    ≥ 20,000  ok',
        '  JSON payloads                                -  msg/s    ≥ 20,000  skip    no mosquitto',
        'memory',
        '  RSS of the demo                             80  MB       < 80      MISS    peak',
        'persistence',
        '  persistence-bench                            -                     FAILED  exit code 1',
        '',
        '7 figures, 5 with a target: 2 ok, 2 missed, 1 skipped, 1 FAILED (missed: eval.1k.poll, mem.rss)',
        '',
      ].join('\n'),
    );
  });

  it('puts each group\'s figures together, groups in order of first appearance', () => {
    const f = (id: string, group: string): Figure => ({ id, group, name: id, value: 1, unit: '' });
    expect(byGroup([f('a1', 'A'), f('b1', 'B'), f('a2', 'A'), f('c1', 'C'), f('b2', 'B')]).map((x) => x.id)).toEqual(['a1', 'a2', 'b1', 'b2', 'c1']);
  });

  it('makes one JSON object with a verdict per figure and a summary', () => {
    const report = benchReport(figures, { quick: true });
    expect(report.meta).toEqual({ quick: true });
    expect(report.figures.map((f) => [f.id, f.ok])).toEqual([
      ['eval.1k.poll', false],
      ['eval.1k.event', true],
      ['eval.sampling', null],
      ['mqtt.plain', true],
      ['mqtt.json', null],
      ['mem.rss', false],
      ['persist.failed', null],
    ]);
    expect(report.figures[0]).toEqual({ ...figures[0], ok: false });
    expect(report.summary).toEqual({ figures: 7, withTarget: 5, ok: 2, missed: ['eval.1k.poll', 'mem.rss'], skipped: ['mqtt.json'], failed: ['persist.failed'] });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
