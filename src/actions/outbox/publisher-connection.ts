import type { MqttConnectionModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import type { TransportEvent } from '../../sensors/live/source.js';
import { type BackoffOptions, ReconnectPolicy } from '../../sensors/mqtt/backoff.js';
import { classifyFailure, type FailureReport } from '../../sensors/mqtt/classify-failure.js';
import { type AttemptTiming, brokerClientOptions, type ReadFile, transportLabel } from '../../sensors/mqtt/connection-settings.js';
import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import type { ConnackInfo, OpenPublisherClient, PublisherClient } from './publisher-client.js';

/** Everything the connection needs besides its settings; tests inject fakes. */
export interface PublisherConnectionDeps {
  readonly open: OpenPublisherClient;
  readonly readFile: ReadFile;
  readonly timers: Timers;
  readonly random: () => number;
  readonly nowMs: () => number;
  readonly backoff: BackoffOptions;
  readonly timing: AttemptTiming;
}

/** A connected client, handed to delivery. */
export interface PublisherLink {
  readonly client: PublisherClient;
  readonly receiveMaximum: number | undefined;
}

/** What the connection tells its owner. */
export interface PublisherHooks {
  /** Connected, and the retained `online` status is on its way. */
  up(link: PublisherLink): void;
  /** The link given by the last `up` is gone. */
  down(): void;
  transport(event: TransportEvent): void;
}

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'closed';

export const STATUS_ONLINE = Buffer.from('online');
export const STATUS_OFFLINE = Buffer.from('offline');

/**
 * The outbox's own broker connection, with the node's status: the last will is a retained
 * `offline` on the status topic; every connect (the first and each reconnect) publishes a
 * retained `online` before anything else; a clean close publishes `offline` itself, then
 * disconnects. Reconnects with exponential backoff and jitter; nothing is published unless
 * connected (a publish before the first connect can hang mqtt.js).
 */
export class PublisherConnection {
  readonly label: string;
  private state: State = 'idle';
  private client: PublisherClient | undefined;
  private generation = 0;
  private inflight: Promise<void> | undefined;
  private timer: unknown;
  private lastFailure: FailureReport | undefined;
  private readonly retry: ReconnectPolicy;

  constructor(
    private readonly settings: MqttConnectionModel,
    private readonly clientId: string,
    private readonly statusTopic: string,
    private readonly deps: PublisherConnectionDeps,
    private readonly hooks: PublisherHooks,
  ) {
    this.label = transportLabel(settings.url);
    this.retry = new ReconnectPolicy(deps);
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  start(): void {
    if (this.state === 'idle') this.connect();
  }

  /** The link broke under a publish: drop it; the usual reconnect follows. */
  restart(reason: string): void {
    if (this.state !== 'connected' || this.client === undefined) return;
    this.lastFailure ??= { status: 'disconnected', code: 'SPATIA_MQTT_CONNECT', reason };
    void this.client.end(false);
  }

  /** Publishes `offline` (waiting at most `offlineTimeoutMs` for the ack), then disconnects. Never rejects. */
  async close(offlineTimeoutMs: number): Promise<void> {
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.generation++;
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    this.client = undefined;
    await this.inflight;
    if (client === undefined) return;
    if (wasConnected) {
      await this.publishOffline(client, offlineTimeoutMs);
      await client.end(true);
    } else {
      await client.end(false);
    }
  }

  private publishOffline(client: PublisherClient, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.deps.timers.setTimeout(resolve, timeoutMs);
      client.publish(this.statusTopic, STATUS_OFFLINE, 1, true, () => {
        this.deps.timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  private connect(): void {
    this.state = 'connecting';
    const gen = ++this.generation;
    this.inflight = this.attempt(gen);
  }

  private async attempt(gen: number): Promise<void> {
    let client: PublisherClient;
    try {
      const base = await brokerClientOptions(this.settings, this.clientId, this.deps.timing, this.deps.readFile);
      if (gen !== this.generation) return;
      const will = { topic: this.statusTopic, payload: STATUS_OFFLINE, qos: 1 as const, retain: true };
      client = await this.deps.open(this.settings.url, { ...base, will }, {
        connected: (info) => gen === this.generation && this.onConnected(info),
        failed: (f) => gen === this.generation && (this.lastFailure ??= classifyFailure(f)),
        closed: () => gen === this.generation && this.down(),
      });
    } catch (err) {
      if (gen !== this.generation) return;
      const code = err instanceof SpatiaError ? err.code : 'SPATIA_MQTT_CONNECT';
      this.lastFailure ??= { status: 'error', code, reason: (err as Error).message };
      this.down();
      return;
    }
    // Closed while the attempt was starting: this client belongs to nobody.
    if (gen !== this.generation) await client.end(false);
    else this.client = client;
  }

  private onConnected(info: ConnackInfo): void {
    const client = this.client;
    if (client === undefined) return;
    this.state = 'connected';
    this.retry.connected();
    this.lastFailure = undefined;
    const version = this.settings.protocolVersion === 4 ? 'MQTT 3.1.1' : 'MQTT 5';
    this.hooks.transport({ transport: this.label, status: 'connected', message: `outbox connected (${version}, client id ${this.clientId}, status ${this.statusTopic})` });
    const gen = this.generation;
    client.publish(this.statusTopic, STATUS_ONLINE, 1, true, (result) => {
      if (gen !== this.generation || result === undefined || !('refused' in result)) return;
      const message = `the broker refused the online status on ${this.statusTopic} (${result.refused}); check the ACL of this client`;
      this.hooks.transport({ transport: this.label, status: 'error', code: 'SPATIA_MQTT_AUTH', message });
    });
    this.hooks.up({ client, receiveMaximum: info.receiveMaximum });
  }

  private down(): void {
    const wasConnected = this.state === 'connected';
    const client = this.client;
    this.client = undefined;
    // Ends an already closed client: releases mqtt.js's timers for good.
    if (client !== undefined) void client.end(false);
    this.generation++;
    const failure = this.lastFailure ?? {
      status: 'disconnected',
      code: 'SPATIA_MQTT_CONNECT',
      reason: wasConnected ? 'the broker closed the connection' : 'the connection closed before the broker accepted it',
    };
    this.lastFailure = undefined;
    const { delayMs, report } = this.retry.next(`${failure.status}|${failure.code}`, wasConnected);
    if (report) {
      const queued = wasConnected ? '; messages wait in the outbox' : '';
      const message = `outbox: ${failure.reason}${queued}; retrying in ${(delayMs / 1000).toFixed(1)} s, then with backoff`;
      this.hooks.transport({ transport: this.label, status: failure.status, code: failure.code, message });
    }
    if (wasConnected) this.hooks.down();
    this.state = 'waiting';
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }
}
