import { describe, expect, it } from 'vitest';
import { formatProfileText } from '../../../src/profiler/format-profile-text.js';
import type { ProfileReport } from '../../../src/profiler/profile-report.js';
import { formatBytes, formatPct, formatUs, table } from '../../../src/profiler/text-table.js';

const REPORT: ProfileReport = {
  format: 'spatia-profile/1',
  config: 'config/demo.yaml',
  source: 'simulation',
  seed: 1,
  mode: 'configured',
  ticks: { run: 6000, periodUs: 100_000, targetHz: 10, achievedHz: 200_000, wallS: 0.03, runS: 600, timed: 120, tickStride: 151, burstTicks: 4, nodeTimed: 30, nodeStride: 4, evaluations: 25_808, edges: 33, actions: 21, sensorEvents: 3 },
  tickDuration: { p50Us: 1.2, p90Us: 2.5, p99Us: 14.1, maxUs: 2100, meanUs: 1.6, count: 5800 },
  lateness: null,
  phases: [
    { phase: 'read', p50Us: 0.25, p99Us: 1.1, meanUs: 0.3, sharePct: 18.75 },
    { phase: 'sensors', p50Us: 0.18, p99Us: 0.9, meanUs: 0.2, sharePct: 12.5 },
    { phase: 'spatial', p50Us: 0, p99Us: 0, meanUs: 0, sharePct: 0 },
    { phase: 'patterns', p50Us: 0.41, p99Us: 3.2, meanUs: 0.5, sharePct: 31.25 },
    { phase: 'conditions', p50Us: 0.33, p99Us: 2.5, meanUs: 0.4, sharePct: 25 },
    { phase: 'dispatch', p50Us: 0.04, p99Us: 0.6, meanUs: 0.05, sharePct: 3.13 },
    { phase: 'journal', p50Us: 0.12, p99Us: 0.8, meanUs: 0.15, sharePct: 9.38 },
  ],
  sensors: [
    { id: 'lobby_temp', kind: 'i2c', reads: null, p50Us: null, p99Us: null, timeouts: 8, errors: 0 },
    { id: 'front_door', kind: 'gpio', reads: null, p50Us: null, p99Us: null, timeouts: 0, errors: 2 },
  ],
  costliest: {
    patterns: [{ id: 'lobby_trend', usPerTick: 0.21, meanUs: 0.21, evaluationsPerTick: 1, sharePct: 40.12 }],
    conditions: [
      { id: 'temp_rising_fast', usPerTick: 0.162, meanUs: 0.162, evaluationsPerTick: 1, sharePct: 27 },
      { id: 'lobby_hot', usPerTick: 0.006, meanUs: 0.094, evaluationsPerTick: 0.06, sharePct: 0.99 },
    ],
    ticksSampled: 30,
  },
  actions: { latencyMeasured: false, kinds: [{ kind: 'log', count: 18, failed: 0, latency: null }] },
  memory: { heapUsedBytes: 10.2 * 2 ** 20, heapTotalBytes: 19 * 2 ** 20, rssBytes: 60 * 2 ** 20, maxRssBytes: 61 * 2 ** 20, arrayBuffersBytes: 460_000, engineBufferBytes: 60_600, seriesBuffers: 2, seriesBufferBytes: 57_600 },
  journal: { bytesPerSecond: 185.2, bytes: 111_104, records: 6000, dir: null },
  eventLog: { bytes: 8000, bytesPerSecond: 13.3 },
  overhead: { usPerTick: 0.0061, pctOfTickTime: 0.38, pctOfPeriod: 0.0000061, method: 'counted', clockReadNs: 43, markNs: 47, nodeMarkNs: 49, timedTickNs: 210, untimedTickNs: 1.5, recordNs: 24, perTickWorkNs: 3.1 },
  notes: ['ticks are timed 1 in 151'],
};

/** The lines of the block that starts with `heading`, up to the next blank line. */
function block(text: string, heading: string): string[] {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.startsWith(heading));
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', at);
  return lines.slice(at, end < 0 ? undefined : end);
}

describe('formatProfileText', () => {
  const text = formatProfileText(REPORT);

  it('has a heading for every figure of SPEC §8', () => {
    for (const h of ['Ticks', 'Tick duration', 'Lateness', 'Time per phase', 'Sensor reads', 'Costliest patterns', 'Costliest conditions', 'Actions and callbacks', 'Memory', 'Journal', 'Profiler overhead', 'Notes']) {
      expect(text).toMatch(new RegExp(`^${h}`, 'm'));
    }
    expect(text.split('\n')[0]).toBe('spatia profile config/demo.yaml (simulation, seed 1, modes as configured)');
  });

  it('aligns tables: right-aligned figures end in the same column', () => {
    const phases = block(text, 'Time per phase').slice(1);
    expect(phases).toEqual([
      '  phase           p50      p99     mean   share',
      '  read         250 ns  1.10 µs   300 ns  18.8 %',
      '  sensors      180 ns   900 ns   200 ns  12.5 %',
      '  spatial        0 ns     0 ns     0 ns     0 %',
      '  patterns     410 ns  3.20 µs   500 ns  31.3 %',
      '  conditions   330 ns  2.50 µs   400 ns  25.0 %',
      '  dispatch      40 ns   600 ns    50 ns  3.13 %',
      '  journal      120 ns   800 ns   150 ns  9.38 %',
      '  total       1.20 µs  14.1 µs  1.60 µs   100 %',
    ]);
    const sensors = block(text, 'Sensor reads').slice(1, 4);
    expect(new Set(sensors.map((l) => l.length)).size).toBe(1);
  });

  it('writes figures with units a person reads at a glance', () => {
    expect(block(text, 'Tick duration')).toEqual(['Tick duration (busy time)', '      p50      p90      p99      max     mean', '  1.20 µs  2.50 µs  14.1 µs  2.10 ms  1.60 µs']);
    expect(text).toContain('  6,000 at 10 Hz (10.00 min simulated)');
    expect(text).toContain('20,000x real time');
    expect(text).toContain('  timed          120 ticks (4 in a row every 151 at the end); every node timed on 30 of them (1 in 4)');
    expect(text).toContain('0.0000061 % of the 100 ms period');
    expect(text).toMatch(/heap used +10\.2 MiB +of 19\.0 MiB/);
    expect(text).toContain('  185 B/s (108.5 KiB in 6,000 records; written to a temporary directory, removed)');
    expect(text).toContain('  0.38 % of tick time (6 ns per tick');
    expect(text).toContain('live only');
    expect(text).toContain('(latency is measured live; simulated actions take no time)');
  });

  it('shows live figures when the run measured them', () => {
    const live: ProfileReport = {
      ...REPORT,
      source: 'live',
      seed: null,
      lateness: { p99Us: 850, maxUs: 12_500, overruns: 3 },
      sensors: [{ id: 'lobby_temp', kind: 'i2c', reads: 600, p50Us: 2100, p99Us: 4800, timeouts: 1, errors: 0 }],
      actions: { latencyMeasured: true, kinds: [{ kind: 'mqtt', count: 9, failed: 1, latency: { p50Us: 1800, p90Us: 2500, p99Us: 9100, maxUs: 9100, meanUs: 2000, count: 9 } }] },
    };
    const t = formatProfileText(live);
    expect(block(t, 'Lateness')).toEqual(['Lateness', '     p99      max  overruns', '  850 µs  12.5 ms         3']);
    expect(block(t, 'Sensor reads')[2]).toBe('  lobby_temp  i2c     600  2.10 ms  4.80 ms         1       0');
    expect(block(t, 'Actions and callbacks')[2]).toBe('  mqtt      9       1  1.80 ms  9.10 ms  9.10 ms');
    expect(t).not.toContain('simulated');
  });
});

describe('text units', () => {
  it('formats durations, bytes and shares', () => {
    expect([0.42, 1.234, 12.34, 999.4, 1234, 2_500_000, null].map(formatUs)).toEqual(['420 ns', '1.23 µs', '12.3 µs', '999 µs', '1.23 ms', '2.50 s', '-']);
    expect([512, 2048, 5.5 * 2 ** 20].map(formatBytes)).toEqual(['512 B', '2.0 KiB', '5.5 MiB']);
    expect([42.123, 0.4213, 0.0042, 0].map(formatPct)).toEqual(['42.1 %', '0.42 %', '0.0042 %', '0 %']);
  });

  it('pads columns to their widest cell', () => {
    expect(table([['a', '1'], ['long', '12345']], ['l', 'r'])).toEqual(['  a         1', '  long  12345']);
  });
});
