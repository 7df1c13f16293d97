/**
 * `spatia profile` through the real CLI (bin/spatia.js over dist/, built by `npm test`): the JSON
 * report holds every SPEC §8 figure with sane types, the text report has its headings, and the
 * exit codes are the CLI's. Figures are checked for shape and consistency, never for speed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileReport } from '../../../src/profiler/profile-report.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function spatia(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/spatia.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-profile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isCount = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;
const isFigure = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function expectFigures(o: Record<string, unknown>, keys: string[]): void {
  for (const k of keys) expect(isFigure(o[k]), k).toBe(true);
}

describe('spatia profile', () => {
  it('--json prints one object holding every figure of SPEC §8', () => {
    const r = spatia('profile', 'config/demo.yaml', '--duration', '1min', '--json');
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(r.out) as ProfileReport;
    const fields = (o: object | null): Record<string, unknown> => (o ?? {}) as Record<string, unknown>;
    expect(p.format).toBe('spatia-profile/1');
    expect(p.source).toBe('simulation');
    // Ticks run and rate achieved.
    expect(p.ticks).toMatchObject({ run: 600, periodUs: 100_000, targetHz: 10, runS: 60 });
    expectFigures(fields(p.ticks), ['achievedHz', 'wallS', 'timed', 'tickStride', 'burstTicks', 'nodeTimed', 'nodeStride', 'evaluations', 'edges', 'actions', 'sensorEvents']);
    expect(p.ticks.timed).toBeGreaterThan(0);
    // Tick duration p50/p90/p99/max.
    expectFigures(fields(p.tickDuration), ['p50Us', 'p90Us', 'p99Us', 'maxUs', 'meanUs', 'count']);
    const d = p.tickDuration;
    expect(d?.p50Us).toBeLessThanOrEqual(d?.p99Us ?? -1);
    expect(d?.p99Us).toBeLessThanOrEqual(d?.maxUs ?? -1);
    // Lateness and overruns: live only.
    expect(p.lateness).toBeNull();
    // Time per phase.
    expect(p.phases.map((x) => x.phase)).toEqual(['read', 'sensors', 'spatial', 'patterns', 'conditions', 'dispatch', 'journal']);
    for (const ph of p.phases) expectFigures(fields(ph), ['meanUs', 'sharePct']);
    // Per sensor read latency p50/p99, timeouts and errors.
    expect(p.sensors.map((s) => s.id)).toEqual(['lobby_temp', 'lobby_co2', 'kitchen_temp', 'front_door', 'lobby_motion']);
    for (const s of p.sensors) {
      expect(Object.keys(s).sort()).toEqual(['errors', 'id', 'kind', 'p50Us', 'p99Us', 'reads', 'timeouts']);
      expect(isCount(s.timeouts) && isCount(s.errors)).toBe(true);
    }
    // The 10 costliest patterns and conditions.
    expect(isCount(p.costliest.ticksSampled)).toBe(true);
    for (const list of [p.costliest.patterns, p.costliest.conditions]) {
      expect(list.length).toBeLessThanOrEqual(10);
      for (const n of list) {
        expect(typeof n.id).toBe('string');
        expectFigures(fields(n), ['usPerTick', 'meanUs', 'evaluationsPerTick', 'sharePct']);
      }
    }
    // Action and callback latency and failures.
    expect(p.actions.latencyMeasured).toBe(false);
    for (const a of p.actions.kinds) {
      expect(typeof a.kind).toBe('string');
      expect(isCount(a.count) && isCount(a.failed)).toBe(true);
    }
    // Heap, RSS and buffer memory.
    expectFigures(fields(p.memory), ['heapUsedBytes', 'heapTotalBytes', 'rssBytes', 'maxRssBytes', 'arrayBuffersBytes', 'engineBufferBytes', 'seriesBuffers', 'seriesBufferBytes']);
    expect(p.memory.seriesBuffers).toBeGreaterThan(0);
    // Journal bytes per second (into a temporary directory, removed).
    expect(p.journal).toMatchObject({ records: expect.any(Number), dir: null });
    expect(p.journal?.bytesPerSecond).toBeGreaterThan(0);
    expect(p.journal?.bytesPerSecond).toBeCloseTo((p.journal?.bytes ?? 0) / 60, 1);
    // The profiler's own overhead, measured (its size is for the reader; tests do not time).
    expect(p.overhead.method).toBe('counted');
    expectFigures(fields(p.overhead), ['usPerTick', 'pctOfTickTime', 'pctOfPeriod', 'clockReadNs', 'markNs', 'timedTickNs', 'untimedTickNs']);
    expect(Array.isArray(p.notes)).toBe(true);
  });

  it('prints the text report with a heading per figure', () => {
    const r = spatia('profile', 'config/demo.yaml', '--duration', '2min', '--mode', 'event', '--seed', '3');
    expect(r.code, r.err).toBe(0);
    expect(r.out.split('\n')[0]).toBe('spatia profile config/demo.yaml (simulation, seed 3, mode event)');
    for (const h of ['Ticks', 'Tick duration', 'Lateness', 'Time per phase', 'Sensor reads', 'Costliest patterns', 'Costliest conditions', 'Actions and callbacks', 'Memory', 'Journal', 'Profiler overhead']) {
      expect(r.out).toMatch(new RegExp(`^${h}`, 'm'));
    }
    expect(r.out).toMatch(/^ {2}ticks run +1,200 at 10 Hz \(2\.00 min simulated\)/m);
    expect(r.out).toMatch(/^ {2}[0-9.]+ % of tick time/m);
  });

  it('--state-dir keeps the journal it measured', () => {
    const state = join(dir, 'state');
    const r = spatia('profile', 'config/demo.yaml', '--duration', '30s', '--json', '--state-dir', state);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).journal.dir).toBe(join(state, 'journal'));
    expect(readdirSync(join(state, 'journal')).length).toBeGreaterThan(0);
    // A journal already there is not mixed into.
    const again = spatia('profile', 'config/demo.yaml', '--duration', '30s', '--state-dir', state);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds a journal/);
  });

  it('exits 78 on an invalid configuration, 2 on bad usage', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nsensors:\n  - {id: t, kind: mock, signal: {constant: 1}}\nconditions:\n  - {id: c, when: "tt > 1"}\n');
    const r = spatia('profile', bad);
    expect(r.code).toBe(78);
    expect(r.err).toMatch(/SPATIA_CONFIG_REFERENCE/);
    expect(spatia('profile', join(dir, 'missing.yaml')).code).toBe(78);
    for (const args of [[], ['config/demo.yaml', 'extra.yaml'], ['config/demo.yaml', '--duration', '5m'], ['config/demo.yaml', '--mode', 'sometimes'], ['config/demo.yaml', '--seed', 'x'], ['config/demo.yaml', '--frobnicate']]) {
      const u = spatia('profile', ...args);
      expect(u.code, args.join(' ')).toBe(2);
      expect(u.err).toMatch(/usage: spatia profile/);
    }
  });

  it('--live profiles a real run on the real clock: lateness, overruns, every tick, action latency', () => {
    const cfg = join(dir, 'live.yaml');
    writeFileSync(
      cfg,
      `version: 1
runtime: {tick_rate: 20 Hz, state_dir: ./never-used}
sensors:
  - {id: beat, kind: mock, signal: {square: {low: 0, high: 1, period: 400ms, duty: 0.5}}}
conditions:
  - {id: beating, when: beat > 0.5, actions: [{log: "beat"}]}
`,
    );
    const r = spatia('profile', cfg, '--live', '--duration', '2s', '--json');
    expect(r.code, r.err).toBe(0);
    const p = JSON.parse(r.out) as ProfileReport;
    expect(p.source).toBe('live');
    expect(p.ticks.run).toBe(40);
    expect(p.lateness).not.toBeNull();
    expect(isCount(p.lateness?.overruns)).toBe(true);
    expect(p.tickDuration?.count).toBe(40);
    const log = p.actions.kinds.find((k) => k.kind === 'log');
    expect(log?.count).toBeGreaterThan(2);
    expect(p.actions.latencyMeasured).toBe(true);
    expect(isFigure(p.overhead.pctOfTickTime)).toBe(true);
    // The service's own state directory is never touched: the run used a scratch one.
    expect(existsSync(join(dir, 'never-used'))).toBe(false);
  });
});
