/**
 * What `GET /status` returns and what the Prometheus metrics are computed from: one plain-JSON
 * picture of a live run (`spatia run --metrics`). Everything here is a copy made at scrape time,
 * so a reader never holds on to runtime state. Times inside a run are in seconds since the run
 * started (as in the event log); wall-clock times say so in their name (`atEpochMs`).
 */
export interface RunStatus {
  /** The node id of this deployment (the outbox's node id, else the host name). */
  readonly node: string;
  /** The configuration file the run was started with, as given on the command line. */
  readonly config: string;
  /** Seconds since the tick loop started. */
  readonly uptimeS: number;
  /** Ticks run so far. */
  readonly ticks: number;
  /** Ticks per second achieved (between the first and the latest tick's start). */
  readonly tickRateHz: number;
  /** Ticks per second the configuration asks for (`runtime.tick_rate`). */
  readonly targetRateHz: number;
  /** How late each tick started against its schedule. */
  readonly lateness: TimingStatus;
  /** How long each tick took, sampling and evaluation. */
  readonly tickDuration: TimingStatus;
  /** Ticks that ran past their period (SPATIA_TICK_OVERRUN). */
  readonly overruns: number;
  /** One entry per configured sensor, in configuration order. */
  readonly sensors: readonly SensorStatus[];
  /** One entry per configured condition, in configuration order. */
  readonly conditions: readonly ConditionStatus[];
  readonly actions: ActionsStatus;
  /** The durable MQTT outbox, or null when the deployment has no MQTT output. */
  readonly outbox: OutboxStatus | null;
  /** The newest checkpoint written by this run, or null before the first (or without a state dir). */
  readonly lastCheckpoint: CheckpointStatus | null;
  /** The input journal, or null when the run keeps none. */
  readonly journal: JournalStatus | null;
  /** The most recent health events (sensor, transport, output, persistence), oldest first; bounded by the source. */
  readonly health: readonly HealthEvent[];
}

/** A timing distribution since the run started, in milliseconds. */
export interface TimingStatus {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/**
 * A sensor's health as the evaluation core tracks it (SPEC §4.2): `never` before its first good
 * reading, `ok`, `stale` (the last read failed; the last good value is held), `unknown` (the last
 * good value is older than `stale_after`).
 */
export type SensorHealth = 'never' | 'ok' | 'stale' | 'unknown';

export interface SensorStatus {
  readonly id: string;
  /** gpio | i2c | serial | mqtt | mock | entities. */
  readonly kind: string;
  readonly status: SensorHealth;
  /** The current value (booleans as booleans); absent while unknown, and for JSON (entities) sensors. */
  readonly value?: number | boolean | string;
  /** Seconds since the last good reading; absent before the first. */
  readonly lastReadAgoS?: number;
}

export interface ConditionStatus {
  readonly id: string;
  /** True, false, or null while unknown (an input it needs is unknown). */
  readonly state: boolean | null;
  /** The tick of the last edge (rising or falling); absent before the first. */
  readonly sinceTick?: number;
}

/** Action and callback runs (SPEC §5). `submitted` and `failed` count since the run started. */
export interface ActionsStatus {
  readonly submitted: number;
  readonly running: number;
  /** Waiting behind a running action of the same condition (`action_mode: queued`). */
  readonly queued: number;
  readonly failed: number;
}

export interface OutboxStatus {
  /** Messages accepted and not yet acknowledged by the broker. */
  readonly depth: number;
  /** Bytes those messages hold on disk. */
  readonly bytes: number;
  /** Messages acknowledged by the broker since the run started. */
  readonly delivered: number;
  /** Messages dropped because the outbox was full (SPATIA_OUTBOX_DROPPED). */
  readonly dropped: number;
  /** Messages the broker refused with a reason code (SPATIA_MQTT_REJECTED). */
  readonly rejected: number;
  readonly connected: boolean;
}

export interface CheckpointStatus {
  /** The tick whose state it holds. */
  readonly tick: number;
  /** When it was written, Unix epoch milliseconds. */
  readonly atEpochMs: number;
  readonly file: string;
}

export interface JournalStatus {
  /** Bytes made durable (written and fdatasynced) since the run started. */
  readonly bytesWritten: number;
  /** The newest tick known to be on disk, -1 before the first commit. */
  readonly lastSyncedTick: number;
  /** Input dropped while the disk refused writes (SPATIA_JOURNAL_LOST), in bytes. */
  readonly bytesDropped: number;
}

/** One health record of the event log, trimmed to what an operator scans for. */
export interface HealthEvent {
  /** Seconds since the run started. */
  readonly t: number;
  readonly tick: number;
  /** The record's type: sensor, transport, output, journal, checkpoint, loop, action, ... */
  readonly type: string;
  /** The sensor, output or condition it is about, when there is one. */
  readonly id?: string;
  /** stale, unknown, recovered, disconnected, failed, ... */
  readonly status: string;
  /** A registered error code (README "Error codes"). */
  readonly code?: string;
  readonly message?: string;
}

/**
 * Builds a {@link RunStatus}. Called only when `/metrics` or `/status` is requested, never on
 * the tick, so a run without scrapers pays nothing for metrics. It runs on the event loop
 * between ticks and must return quickly (copy counters, no I/O) and not throw; if it does, the
 * request fails with 500 and the run goes on.
 */
export type StatusSource = () => RunStatus;
