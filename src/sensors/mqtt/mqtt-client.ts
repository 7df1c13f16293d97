import type { IClientOptions, IClientSubscribeOptions, IConnackPacket, ISubscriptionGrant, MqttClient, Packet } from 'mqtt';
import type { BrokerClient, BrokerClientOptions, BrokerFailure, OpenBrokerClient, SubackResult } from './broker-client.js';

/** The lifecycle events both of spatia's MQTT connections (sensors, outbox) listen to. */
export interface MqttJsLifecycle {
  connected(connack: IConnackPacket): void;
  failed(failure: BrokerFailure): void;
  /** At most once per client. */
  closed(): void;
}

/**
 * Connects an mqtt.js client: the one place that imports `mqtt`, lazily, so spatia loads without
 * it. Used by the sensors' BrokerClient below and by the outbox's publisher.
 */
export async function connectMqttJs(url: string, options: IClientOptions, events: MqttJsLifecycle): Promise<MqttClient> {
  const mqtt = await import('mqtt');
  const client = mqtt.connect(url, options);
  let closed = false;
  client.on('connect', (connack: IConnackPacket) => events.connected(connack));
  client.on('error', (err) => events.failed(failureOf(err)));
  client.on('close', () => {
    if (closed) return;
    closed = true;
    events.closed();
  });
  return client;
}

/**
 * The BrokerClient port on mqtt.js. mqtt.js's own reconnect is off (`reconnectPeriod: 0`): it retries at a fixed
 * period, while spatia backs off exponentially; each attempt is a fresh client, so nothing an
 * old client queued (mqtt.js's offline queue lives in memory only) leaks into the next one.
 */
export const openMqttClient: OpenBrokerClient = async (url, options, events) => {
  const client = await connectMqttJs(url, { ...mqttJsOptions(options), resubscribe: false }, {
    connected: () => events.connected(),
    failed: (f) => events.failed(f),
    closed: () => events.closed(),
  });
  client.on('message', (topic, payload, packet) => events.message(topic, payload, packet.properties?.subscriptionIdentifier));
  return new MqttJsClient(client);
};

/**
 * mqtt.js options for a spatia connection: clean sessions, and no reconnect or offline queue of
 * mqtt.js's own (spatia backs off itself, and keeps what must survive on disk).
 */
export function mqttJsOptions(o: BrokerClientOptions): IClientOptions {
  const opts: IClientOptions = {
    clientId: o.clientId,
    protocolVersion: o.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    queueQoSZero: false,
    connectTimeout: o.connectTimeoutMs,
    keepalive: o.keepaliveS,
  };
  if (o.username !== undefined) opts.username = o.username;
  if (o.password !== undefined) opts.password = o.password;
  if (o.ca !== undefined) opts.ca = o.ca;
  if (o.cert !== undefined) opts.cert = o.cert;
  if (o.key !== undefined) opts.key = o.key;
  return opts;
}

export function failureOf(err: Error): BrokerFailure {
  const code = (err as { code?: unknown }).code;
  return { message: err.message, code: typeof code === 'string' || typeof code === 'number' ? code : undefined };
}

class MqttJsClient implements BrokerClient {
  constructor(private readonly client: MqttClient) {}

  subscribe(filter: string, subscriptionId: number | undefined, done: (result: SubackResult) => void): void {
    const opts: IClientSubscribeOptions = { qos: 0 };
    if (subscriptionId !== undefined) opts.properties = { subscriptionIdentifier: subscriptionId };
    this.client.subscribe(filter, opts, (err: Error | null, _granted?: ISubscriptionGrant[], packet?: Packet) => {
      // On a refusal mqtt.js reports an error but still hands over the SUBACK with its reason code.
      const code = packet !== undefined && 'granted' in packet && Array.isArray(packet.granted) ? packet.granted[0] : undefined;
      if (typeof code === 'number') done({ granted: (code & 0x80) === 0 });
      else if (err) done({ error: failureOf(err) });
      else done({ granted: true });
    });
  }

  unsubscribe(filter: string): void {
    this.client.unsubscribe(filter, () => undefined);
  }

  end(): Promise<void> {
    return new Promise((resolve) => {
      this.client.end(true, {}, () => resolve());
    });
  }
}
