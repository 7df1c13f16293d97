import type { MqttConnectionModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import { SensorFault, type TransportEvent } from '../live/source.js';
import { type BackoffOptions, ReconnectPolicy } from './backoff.js';
import type { BrokerClient, OpenBrokerClient, SubackResult } from './broker-client.js';
import { classifyFailure, type FailureReport } from './classify-failure.js';
import { type AttemptTiming, brokerClientOptions, type ReadFile, transportLabel } from './connection-settings.js';
import { type ConnectionReceiver, type Subscription, SubscriptionTable } from './subscription-table.js';

/** Timers, injectable so unit tests drive reconnects without waiting. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Everything a connection needs besides its settings. */
export interface ConnectionDeps {
  readonly open: OpenBrokerClient;
  readonly readFile: ReadFile;
  readonly timers: Timers;
  readonly random: () => number;
  readonly nowMs: () => number;
  readonly backoff: BackoffOptions;
  readonly timing: AttemptTiming;
}

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'closed';

/**
 * One broker connection shared by the sensors that use the same settings: one subscription per
 * distinct topic filter, each message delivered to every sensor whose filter matches. Connects
 * on the first attach, re-subscribes on every connect (clean sessions: retained values come
 * again), reconnects with exponential backoff after any failure, and closes itself when its
 * last sensor detaches.
 */
export class MqttConnection {
  readonly label: string;
  private state: State = 'idle';
  private client: BrokerClient | undefined;
  /** Bumped per attempt and on close: events of an abandoned client are ignored. */
  private generation = 0;
  private inflight: Promise<void> | undefined;
  private timer: unknown;
  private lastFailure: FailureReport | undefined;
  private readonly retry: ReconnectPolicy;
  private receivers: readonly ConnectionReceiver[] = [];
  private readonly subOf = new Map<ConnectionReceiver, Subscription>();
  private readonly subs: SubscriptionTable;

  constructor(
    private readonly settings: MqttConnectionModel,
    private readonly clientId: string,
    private readonly deps: ConnectionDeps,
    private readonly onIdle: (c: MqttConnection) => void,
  ) {
    this.label = transportLabel(settings.url);
    this.subs = new SubscriptionTable(deps.nowMs);
    this.retry = new ReconnectPolicy(deps);
  }

  /** Subscribes `r` to `filter`; resolves once the broker answered or an attempt failed. */
  attach(r: ConnectionReceiver, filter: string): Promise<void> {
    if (this.state === 'closed' || this.subOf.has(r)) return Promise.resolve();
    this.receivers = [...this.receivers, r];
    const existing = this.subs.get(filter);
    const sub = existing ?? this.subs.add(filter);
    sub.receivers = [...sub.receivers, r];
    this.subOf.set(r, sub);
    const ready = new Promise<void>((resolve) => sub.waiters.push(resolve));
    if (this.state === 'idle') this.connect();
    else if (this.state === 'connected' && existing === undefined) this.subscribe(sub);
    // Already subscribed: nothing to wait for. Waiting for a retry: the last attempt failed.
    else if (this.state === 'connected' || this.state === 'waiting') this.release(sub);
    return ready;
  }

  /** Unsubscribes `r`; the last receiver leaving closes the connection. */
  async detach(r: ConnectionReceiver): Promise<void> {
    const sub = this.subOf.get(r);
    if (sub === undefined) return;
    this.subOf.delete(r);
    this.receivers = this.receivers.filter((x) => x !== r);
    sub.receivers = sub.receivers.filter((x) => x !== r);
    if (sub.receivers.length === 0) {
      this.subs.remove(sub);
      this.release(sub);
      if (this.state === 'connected') this.client?.unsubscribe(sub.filter);
    }
    if (this.receivers.length === 0) {
      this.onIdle(this);
      await this.close();
    }
  }

  /** Ends the connection and every timer. Never rejects. */
  async close(): Promise<void> {
    this.state = 'closed';
    this.generation++;
    if (this.timer !== undefined) this.deps.timers.clearTimeout(this.timer);
    this.timer = undefined;
    for (const sub of this.subs.values()) this.release(sub);
    const client = this.client;
    this.client = undefined;
    await this.inflight;
    await client?.end();
  }

  private connect(): void {
    this.state = 'connecting';
    const gen = ++this.generation;
    this.inflight = this.attempt(gen);
  }

  private async attempt(gen: number): Promise<void> {
    let client: BrokerClient;
    try {
      const options = await brokerClientOptions(this.settings, this.clientId, this.deps.timing, this.deps.readFile);
      if (gen !== this.generation) return;
      client = await this.deps.open(this.settings.url, options, {
        connected: () => gen === this.generation && this.connected(),
        message: (topic, payload, ids) => gen === this.generation && this.subs.dispatch(topic, payload, ids),
        failed: (f) => gen === this.generation && this.failed(classifyFailure(f)),
        closed: () => gen === this.generation && this.down(),
      });
    } catch (err) {
      if (gen !== this.generation) return;
      const code = err instanceof SpatiaError ? err.code : 'SPATIA_MQTT_CONNECT';
      this.failed({ status: 'error', code, reason: (err as Error).message });
      this.down();
      return;
    }
    // Closed while the attempt was starting: this client belongs to nobody.
    if (gen !== this.generation) await client.end();
    else this.client = client;
  }

  private connected(): void {
    this.state = 'connected';
    this.retry.connected();
    this.lastFailure = undefined;
    const version = this.settings.protocolVersion === 4 ? 'MQTT 3.1.1' : 'MQTT 5';
    this.report({ transport: this.label, status: 'connected', message: `connected (${version}, client id ${this.clientId})` });
    for (const sub of this.subs.values()) this.subscribe(sub);
  }

  private subscribe(sub: Subscription): void {
    const gen = this.generation;
    // Identifiers only under MQTT 5: they let overlapping filters each get their copy exactly once.
    const id = this.settings.protocolVersion === 5 ? sub.id : undefined;
    this.client?.subscribe(sub.filter, id, (result) => gen === this.generation && this.subscribed(sub, result));
  }

  private subscribed(sub: Subscription, result: SubackResult): void {
    if ('granted' in result && !result.granted) {
      const why = `${this.label}: the broker refused the subscription to ${sub.filter} (is this client allowed to read it?)`;
      for (const r of sub.receivers) r.refused(new SensorFault('error', 'SPATIA_MQTT_AUTH', why));
    }
    this.release(sub);
  }

  /** Remembers why the attempt failed; the report waits for `closed` (mqtt.js sends both). */
  private failed(f: FailureReport): void {
    this.lastFailure ??= f;
  }

  private down(): void {
    const wasConnected = this.state === 'connected';
    const client = this.client;
    this.client = undefined;
    // Ends an already closed client: releases mqtt.js's timers for good.
    if (client !== undefined) void client.end();
    this.generation++;
    const failure = this.lastFailure ?? {
      status: 'disconnected',
      code: 'SPATIA_MQTT_CONNECT',
      reason: wasConnected ? 'the broker closed the connection' : 'the connection closed before the broker accepted it',
    };
    this.lastFailure = undefined;
    const { delayMs, report } = this.retry.next(`${failure.status}|${failure.code}`, wasConnected);
    if (report) {
      const message = `${failure.reason}; retrying in ${(delayMs / 1000).toFixed(1)} s, then with backoff`;
      this.report({ transport: this.label, status: failure.status, code: failure.code, message });
    }
    if (wasConnected) {
      const why = `${this.label}: connection lost (${failure.reason}); the last value is held until it comes back`;
      for (const r of this.receivers) r.lost(new SensorFault('error', 'SPATIA_SENSOR_DISCONNECTED', why));
    }
    for (const sub of this.subs.values()) this.release(sub);
    this.state = 'waiting';
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = undefined;
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }

  private report(event: TransportEvent): void {
    this.receivers[0]?.transport(event);
  }

  private release(sub: Subscription): void {
    const waiters = sub.waiters;
    sub.waiters = [];
    for (const w of waiters) w();
  }
}
