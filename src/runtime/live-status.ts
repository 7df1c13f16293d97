import { hostname } from 'node:os';
import { tickTimeUs } from '../conditions/temporal-op.js';
import type { HealthEvent, RunStatus, SensorStatus } from '../metrics/run-status.js';
import type { LiveSession } from './live-session.js';

/**
 * The `/status` of a running `spatia run` (and the source of its Prometheus metrics), built
 * when asked: the tick loop pays nothing for it. O(sensors + conditions) per call.
 */
export function liveStatus(session: LiveSession, configPath: string, startedAtMs: number): RunStatus {
  const run = session.run;
  const engine = run.engine;
  const s = run.summary();
  const tick = Math.max(0, run.lastTick);
  const sensors: SensorStatus[] = engine.sensors.map((rt, i) => {
    const model = engine.model.sensors[i];
    const value = engine.slotValue(rt.slot, model?.valueType === 'boolean' ? 'boolean' : model?.valueType === 'number' ? 'number' : 'string');
    const status: SensorStatus = {
      id: rt.id,
      kind: model?.kind ?? 'unknown',
      status: rt.health,
      ...(typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string' ? { value } : {}),
      ...(rt.lastGoodTick >= 0 ? { lastReadAgoS: tickTimeUs(tick - rt.lastGoodTick, engine.periodUs) / 1e6 } : {}),
    };
    return status;
  });
  const conditions = engine.nodes.flatMap((n, i) => (n.kind === 'condition' ? [{ id: n.id, state: engine.conditionState(i) }] : []));
  const outbox = session.outboxStats();
  const cp = session.lastCheckpoint;
  const journal = session.journalStats();
  const health: HealthEvent[] = run.recentHealth.map((r) => {
    const e: { -readonly [K in keyof HealthEvent]: HealthEvent[K] } = { t: r.t, tick: r.tick, type: r.type, status: String(r['status'] ?? '') };
    if (typeof r['id'] === 'string') e.id = r['id'];
    if (typeof r['code'] === 'string') e.code = r['code'];
    const message = r['error'] ?? r['message'];
    if (typeof message === 'string') e.message = message;
    return e;
  });
  return {
    node: hostname(),
    config: configPath,
    uptimeS: (Date.now() - startedAtMs) / 1000,
    ticks: s.ticks,
    tickRateHz: s.rateHz,
    targetRateHz: 1e6 / engine.periodUs,
    lateness: { p50Ms: s.lateness.p50Ms, p99Ms: s.lateness.p99Ms, maxMs: s.lateness.maxMs },
    tickDuration: { p50Ms: s.tickDuration.p50Ms, p99Ms: s.tickDuration.p99Ms, maxMs: s.tickDuration.maxMs },
    overruns: s.overruns,
    sensors,
    conditions,
    actions: run.dispatcher.stats(),
    outbox: outbox === undefined ? null : { depth: outbox.pending, bytes: outbox.pendingBytes, delivered: outbox.delivered, dropped: outbox.dropped, rejected: outbox.rejected, connected: outbox.connected },
    lastCheckpoint: cp === undefined ? null : { tick: cp.tick, atEpochMs: cp.atMs, file: cp.file },
    journal: journal ?? null,
    health,
  };
}
