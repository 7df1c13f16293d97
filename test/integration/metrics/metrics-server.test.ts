import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { SpatiaError } from '../../../src/core/errors.js';
import { type MetricsServer, startMetricsServer } from '../../../src/metrics/metrics-server.js';
import type { RunStatus } from '../../../src/metrics/run-status.js';

/**
 * The metrics server on real sockets: loopback only, port 0 (whatever is free), a recording
 * fake StatusSource. Checks what a scraper sees, never how fast.
 */

function fakeStatus(over: Partial<RunStatus> = {}): RunStatus {
  return {
    node: 'pi-lobby',
    config: 'config/demo.yaml',
    uptimeS: 120.5,
    ticks: 1205,
    tickRateHz: 9.998,
    targetRateHz: 10,
    lateness: { p50Ms: 0.012, p99Ms: 0.7, maxMs: 3.2 },
    tickDuration: { p50Ms: 0.2, p99Ms: 0.9, maxMs: 4 },
    overruns: 2,
    sensors: [
      { id: 'lobby_temp', kind: 'i2c', status: 'ok', value: 22.5, lastReadAgoS: 0.1 },
      { id: 'door', kind: 'gpio', status: 'ok', value: true, lastReadAgoS: 3 },
      { id: 'co2', kind: 'mqtt', status: 'stale', value: 640, lastReadAgoS: 42 },
      { id: 'badge', kind: 'serial', status: 'never' },
    ],
    conditions: [
      { id: 'lobby_hot', state: true, sinceTick: 1100 },
      { id: 'door_open', state: false, sinceTick: 30 },
      { id: 'co2_high', state: null },
    ],
    actions: { submitted: 14, running: 1, queued: 2, failed: 3 },
    outbox: { depth: 3, bytes: 512, delivered: 11, dropped: 0, rejected: 1, connected: true },
    lastCheckpoint: { tick: 1200, atEpochMs: 1_700_000_000_000, file: '/var/lib/spatia/checkpoints/000001200.ckpt' },
    journal: { bytesWritten: 65_536, lastSyncedTick: 1199, bytesDropped: 0 },
    health: [{ t: 80, tick: 800, type: 'sensor', id: 'co2', status: 'stale', code: 'SPATIA_SENSOR_TIMEOUT', message: 'read timed out' }],
    ...over,
  };
}

const servers: MetricsServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(status: () => RunStatus, warnings: string[] = [], listen = '127.0.0.1:0'): Promise<MetricsServer> {
  const s = await startMetricsServer({ listen, status, warn: (m) => warnings.push(m) });
  servers.push(s);
  return s;
}

const url = (s: MetricsServer, path: string): string => `http://${s.address}${path}`;

/** The value of one sample line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics server', () => {
  it('serves the run figures in Prometheus text format, read from the status at scrape time', async () => {
    let calls = 0;
    let ticks = 1205;
    const s = await start(() => {
      calls++;
      return fakeStatus({ ticks });
    });
    const res = await fetch(url(s, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(calls).toBe(1);
    expect(text).toContain('# TYPE spatia_ticks_total counter');
    expect(sample(text, 'spatia_ticks_total')).toBe(1205);
    expect(sample(text, 'spatia_run_info{node="pi-lobby",config="config/demo.yaml"}')).toBe(1);
    expect(sample(text, 'spatia_uptime_seconds')).toBe(120.5);
    expect(sample(text, 'spatia_tick_rate_hz')).toBe(9.998);
    expect(sample(text, 'spatia_tick_target_rate_hz')).toBe(10);
    expect(sample(text, 'spatia_tick_lateness_seconds{quantile="0.5"}')).toBeCloseTo(0.000012, 12);
    expect(sample(text, 'spatia_tick_lateness_seconds{quantile="0.99"}')).toBeCloseTo(0.0007, 12);
    expect(sample(text, 'spatia_tick_lateness_seconds{quantile="1"}')).toBeCloseTo(0.0032, 12);
    expect(sample(text, 'spatia_tick_duration_seconds{quantile="0.99"}')).toBeCloseTo(0.0009, 12);
    expect(sample(text, 'spatia_overruns_total')).toBe(2);
    expect(sample(text, 'spatia_sensor_up{sensor="lobby_temp",kind="i2c"}')).toBe(1);
    expect(sample(text, 'spatia_sensor_up{sensor="co2",kind="mqtt"}')).toBe(0);
    expect(sample(text, 'spatia_sensor_up{sensor="badge",kind="serial"}')).toBe(0);
    expect(sample(text, 'spatia_sensor_value{sensor="lobby_temp"}')).toBe(22.5);
    expect(sample(text, 'spatia_sensor_value{sensor="door"}')).toBe(1);
    expect(sample(text, 'spatia_sensor_value{sensor="badge"}')).toBeUndefined();
    expect(sample(text, 'spatia_sensor_last_read_age_seconds{sensor="co2"}')).toBe(42);
    expect(sample(text, 'spatia_condition_state{condition="lobby_hot"}')).toBe(1);
    expect(sample(text, 'spatia_condition_state{condition="door_open"}')).toBe(0);
    expect(sample(text, 'spatia_condition_state{condition="co2_high"}')).toBeUndefined();
    expect(sample(text, 'spatia_actions_submitted_total')).toBe(14);
    expect(sample(text, 'spatia_actions_failed_total')).toBe(3);
    expect(sample(text, 'spatia_actions_running')).toBe(1);
    expect(sample(text, 'spatia_actions_queued')).toBe(2);
    expect(sample(text, 'spatia_outbox_depth')).toBe(3);
    expect(sample(text, 'spatia_outbox_bytes')).toBe(512);
    expect(sample(text, 'spatia_outbox_connected')).toBe(1);
    expect(sample(text, 'spatia_outbox_rejected_total')).toBe(1);
    expect(sample(text, 'spatia_last_checkpoint_tick')).toBe(1200);
    expect(sample(text, 'spatia_last_checkpoint_timestamp_seconds')).toBe(1_700_000_000);
    expect(sample(text, 'spatia_journal_written_bytes_total')).toBe(65_536);
    expect(sample(text, 'spatia_journal_last_synced_tick')).toBe(1199);
    // The process, from prom-client's default metrics in the server's own registry.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');

    ticks = 1300;
    const again = await (await fetch(url(s, '/metrics?from=test'))).text();
    expect(calls).toBe(2);
    expect(sample(again, 'spatia_ticks_total')).toBe(1300);
  });

  it('leaves out what the run does not have (no outbox, no journal, no checkpoint yet)', async () => {
    const s = await start(() => fakeStatus({ outbox: null, journal: null, lastCheckpoint: null }));
    const text = await (await fetch(url(s, '/metrics'))).text();
    for (const name of ['spatia_outbox_depth', 'spatia_outbox_connected', 'spatia_outbox_dropped_total', 'spatia_last_checkpoint_tick', 'spatia_journal_written_bytes_total']) {
      expect(text).toContain(`# TYPE ${name} `);
      expect(sample(text, name)).toBeUndefined();
    }
    expect(sample(text, 'spatia_ticks_total')).toBe(1205);
  });

  it('serves /status as the RunStatus in JSON', async () => {
    const s = await start(() => fakeStatus());
    const res = await fetch(url(s, '/status'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual(fakeStatus());
  });

  it('answers 404 to other paths and 405 to other methods', async () => {
    const s = await start(() => fakeStatus());
    for (const path of ['/', '/metrics/', '/metricsx', '/favicon.ico']) {
      const res = await fetch(url(s, path));
      expect(res.status, path).toBe(404);
      expect(await res.text()).toMatch(/\/metrics and \/status/);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(url(s, '/metrics'), { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
    const head = await fetch(url(s, '/status'), { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('answers 500 when the status source throws, warns, and keeps serving', async () => {
    const warnings: string[] = [];
    let broken = true;
    const s = await start(() => {
      if (broken) throw new Error('engine busy');
      return fakeStatus();
    }, warnings);
    for (const path of ['/metrics', '/status']) {
      const res = await fetch(url(s, path));
      expect(res.status).toBe(500);
      expect(await res.text()).toContain('engine busy');
    }
    expect(warnings).toEqual(['metrics: GET /metrics failed: engine busy', 'metrics: GET /status failed: engine busy']);
    broken = false;
    expect((await fetch(url(s, '/metrics'))).status).toBe(200);
  });

  it('listens on loopback when given a bare port', async () => {
    const s = await start(() => fakeStatus(), [], '0');
    expect(s.address).toBe(`127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
    expect((await fetch(url(s, '/status'))).status).toBe(200);
  });

  it('listens on IPv6 loopback when asked', async () => {
    const s = await start(() => fakeStatus(), [], '[::1]:0');
    expect(s.address).toBe(`[::1]:${s.port}`);
    expect((await fetch(url(s, '/status'))).status).toBe(200);
  });

  it('refuses an address in use, naming it', async () => {
    const first = await start(() => fakeStatus());
    const err = await startMetricsServer({ listen: first.address, status: () => fakeStatus(), warn: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpatiaError);
    expect((err as SpatiaError).code).toBe('SPATIA_METRICS_LISTEN');
    expect((err as SpatiaError).message).toBe(`cannot listen on ${first.address}: the address is already in use (another spatia run, or another exporter?)`);
  });

  it('refuses an address that is not this machine\'s, and a bad listen string', async () => {
    const err = await startMetricsServer({ listen: '192.0.2.1:0', status: () => fakeStatus(), warn: () => undefined }).catch((e: unknown) => e);
    expect((err as SpatiaError).code).toBe('SPATIA_METRICS_LISTEN');
    expect((err as SpatiaError).message).toMatch(/^cannot listen on 192\.0\.2\.1:0: that is not an address of this machine$/);
    const usage = await startMetricsServer({ listen: ':9464', status: () => fakeStatus(), warn: () => undefined }).catch((e: unknown) => e);
    expect((usage as SpatiaError).code).toBe('SPATIA_USAGE');
  });

  it('closes with a keep-alive connection still open', async () => {
    const s = await startMetricsServer({ listen: '0', status: () => fakeStatus(), warn: () => undefined });
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: s.port, path: '/status', agent: false, headers: { connection: 'keep-alive' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
    await s.close();
    await expect(fetch(url(s, '/status'))).rejects.toThrow();
  });
});
