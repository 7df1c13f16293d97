import { Counter, Gauge, type Registry } from 'prom-client';
import type { RunStatus, TimingStatus } from './run-status.js';

/**
 * A family of metrics computed from the status of the scrape in progress. Values are set in
 * prom-client's `collect()` hooks, which run only when /metrics is requested: nothing is counted
 * on the tick. Label sets are rebuilt on every scrape, and a metric of a part the run does not
 * have (no outbox, no journal, no checkpoint yet) is absent rather than a misleading 0.
 */
type Collect<M> = (metric: M, s: RunStatus) => void;

/** `quantile` labels in the style of a Prometheus summary; quantile 1 is the maximum. */
const QUANTILES = [
  ['0.5', 'p50Ms'],
  ['0.99', 'p99Ms'],
  ['1', 'maxMs'],
] as const;

/** Sets a counter to a total the runtime already keeps (counters only ever go up in a run). */
function setTotal(c: Counter, total: number | undefined): void {
  c.reset();
  if (total === undefined) c.remove();
  else c.inc(total);
}

function setOrRemove(g: Gauge, v: number | undefined): void {
  if (v === undefined) g.remove();
  else g.set(v);
}

/**
 * Registers the spatia run metrics on `registry`; `current()` gives the status of this scrape.
 * The per-sensor and per-condition families are not here: see entity-metrics.ts.
 */
export function registerRunMetrics(registry: Registry, current: () => RunStatus): void {
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[], collect: Collect<Gauge<L>>): void => {
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      collect() {
        collect(this, current());
      },
    });
  };
  const counter = (name: string, help: string, total: (s: RunStatus) => number | undefined): void => {
    new Counter({
      name,
      help,
      registers,
      collect() {
        setTotal(this, total(current()));
      },
    });
  };
  const scalar = (name: string, help: string, value: (s: RunStatus) => number | undefined): void =>
    gauge(name, help, [], (g, s) => setOrRemove(g, value(s)));
  const timing = (name: string, help: string, of: (s: RunStatus) => TimingStatus): void =>
    gauge(name, `${help} (quantile 1 is the maximum).`, ['quantile'], (g, s) => {
      const t = of(s);
      for (const [quantile, key] of QUANTILES) g.set({ quantile }, t[key] / 1000);
    });

  gauge('spatia_run_info', 'The running deployment: node id and configuration file; always 1.', ['node', 'config'], (g, s) => {
    g.reset();
    g.set({ node: s.node, config: s.config }, 1);
  });
  scalar('spatia_uptime_seconds', 'Seconds since the tick loop started.', (s) => s.uptimeS);
  counter('spatia_ticks_total', 'Ticks run.', (s) => s.ticks);
  scalar('spatia_tick_rate_hz', 'Ticks per second achieved.', (s) => s.tickRateHz);
  scalar('spatia_tick_target_rate_hz', 'Ticks per second the configuration asks for.', (s) => s.targetRateHz);
  timing('spatia_tick_lateness_seconds', 'How late ticks started against their schedule, since the run started', (s) => s.lateness);
  timing('spatia_tick_duration_seconds', 'How long ticks took (sampling and evaluation), since the run started', (s) => s.tickDuration);
  counter('spatia_overruns_total', 'Ticks that ran past their period (SPATIA_TICK_OVERRUN).', (s) => s.overruns);

  counter('spatia_actions_submitted_total', 'Actions and callbacks submitted on edges.', (s) => s.actions.submitted);
  counter('spatia_actions_failed_total', 'Actions and callbacks that failed (SPATIA_ACTION_FAILED).', (s) => s.actions.failed);
  scalar('spatia_actions_running', 'Actions and callbacks running now.', (s) => s.actions.running);
  scalar('spatia_actions_queued', 'Actions waiting behind a running one of the same condition.', (s) => s.actions.queued);

  scalar('spatia_outbox_depth', 'MQTT outbox: messages not yet acknowledged by the broker.', (s) => s.outbox?.depth);
  scalar('spatia_outbox_bytes', 'MQTT outbox: bytes those messages hold on disk.', (s) => s.outbox?.bytes);
  scalar('spatia_outbox_connected', 'MQTT outbox: 1 while connected to the broker.', (s) => (s.outbox === null ? undefined : s.outbox.connected ? 1 : 0));
  counter('spatia_outbox_delivered_total', 'MQTT outbox: messages acknowledged by the broker.', (s) => s.outbox?.delivered);
  counter('spatia_outbox_dropped_total', 'MQTT outbox: messages dropped because it was full (SPATIA_OUTBOX_DROPPED).', (s) => s.outbox?.dropped);
  counter('spatia_outbox_rejected_total', 'MQTT outbox: messages the broker refused (SPATIA_MQTT_REJECTED).', (s) => s.outbox?.rejected);

  scalar('spatia_last_checkpoint_tick', 'The tick held by the newest checkpoint written.', (s) => s.lastCheckpoint?.tick);
  scalar('spatia_last_checkpoint_timestamp_seconds', 'When the newest checkpoint was written, Unix time.', (s) =>
    s.lastCheckpoint === null ? undefined : s.lastCheckpoint.atEpochMs / 1000,
  );
  counter('spatia_journal_written_bytes_total', 'Journal bytes written and fdatasynced.', (s) => s.journal?.bytesWritten);
  counter('spatia_journal_dropped_bytes_total', 'Journal input dropped while the disk refused writes (SPATIA_JOURNAL_LOST).', (s) => s.journal?.bytesDropped);
  scalar('spatia_journal_last_synced_tick', 'The newest tick known to be on disk in the journal.', (s) => s.journal?.lastSyncedTick);
}
