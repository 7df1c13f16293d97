import { readFile } from 'node:fs/promises';
import type { MqttConnectionModel, SensorModel } from '../../config/model.js';
import { type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import type { OpenBrokerClient } from './broker-client.js';
import { connectionKey, connectionOf, type ReadFile, sensorClientId } from './connection-settings.js';
import { type ConnectionDeps, MqttConnection, type Timers } from './mqtt-connection.js';
import { openMqttClient } from './mqtt-client.js';

/** How the MQTT sensors of one run connect. Every field has a real default. */
export interface MqttConnectionsOptions {
  /** `outputs.mqtt`: the default broker of mqtt sensors, with its credentials and TLS files. */
  readonly outputs?: MqttConnectionModel | undefined;
  readonly open?: OpenBrokerClient;
  readonly readFile?: ReadFile;
  readonly timers?: Timers;
  readonly random?: () => number;
  /** A monotonic clock in milliseconds (only differences are used). */
  readonly nowMs?: () => number;
  readonly backoff?: BackoffOptions;
  /** Bound on TCP + TLS + CONNACK of one attempt. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** MQTT keepalive: a silent broker is declared gone after 1.5 times this. Default 30 s. */
  readonly keepaliveS?: number;
}

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * The broker connections of one run (create one per run and close it at shutdown; no module
 * state). Sensors with the same connection settings share one connection; a connection closes
 * itself when its last sensor closes, and `close()` ends whatever is left.
 */
export class MqttConnections {
  private readonly outputs: MqttConnectionModel | undefined;
  private readonly deps: ConnectionDeps;
  private readonly open = new Map<string, MqttConnection>();

  constructor(opts: MqttConnectionsOptions = {}) {
    this.outputs = opts.outputs;
    this.deps = {
      open: opts.open ?? openMqttClient,
      readFile: opts.readFile ?? ((path) => readFile(path)),
      timers: opts.timers ?? REAL_TIMERS,
      random: opts.random ?? Math.random,
      nowMs: opts.nowMs ?? (() => performance.now()),
      backoff: opts.backoff ?? DEFAULT_BACKOFF,
      timing: { connectTimeoutMs: opts.connectTimeoutMs ?? 10_000, keepaliveS: opts.keepaliveS ?? 30 },
    };
  }

  /** The connection `sensor` uses (created on first use). Throws a SpatiaError without a broker url. */
  connectionFor(sensor: SensorModel): MqttConnection {
    const settings = connectionOf(sensor, this.outputs);
    const key = connectionKey(settings);
    let conn = this.open.get(key);
    if (conn === undefined) {
      const created = new MqttConnection(settings, sensorClientId(settings, this.outputs), this.deps, (c) => {
        if (this.open.get(key) === c) this.open.delete(key);
      });
      this.open.set(key, created);
      conn = created;
    }
    return conn;
  }

  /** How many connections are open (or retrying). */
  get size(): number {
    return this.open.size;
  }

  /** Ends every connection and timer. Never rejects. */
  async close(): Promise<void> {
    const all = [...this.open.values()];
    this.open.clear();
    await Promise.all(all.map((c) => c.close()));
  }
}
