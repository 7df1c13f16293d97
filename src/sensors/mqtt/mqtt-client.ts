import type { IClientOptions, IClientSubscribeOptions, ISubscriptionGrant, MqttClient, Packet } from 'mqtt';
import type { BrokerClient, BrokerClientOptions, BrokerFailure, OpenBrokerClient, SubackResult } from './broker-client.js';

/**
 * The BrokerClient port on mqtt.js: the only file that imports `mqtt`, lazily, so spatia loads
 * without it. mqtt.js's own reconnect is off (`reconnectPeriod: 0`): it retries at a fixed
 * period, while spatia backs off exponentially; each attempt is a fresh client, so nothing an
 * old client queued (mqtt.js's offline queue lives in memory only) leaks into the next one.
 */
export const openMqttClient: OpenBrokerClient = async (url, options, events) => {
  const mqtt = await import('mqtt');
  const client = mqtt.connect(url, clientOptions(options));
  let closed = false;
  client.on('connect', () => events.connected());
  client.on('message', (topic, payload, packet) => events.message(topic, payload, packet.properties?.subscriptionIdentifier));
  client.on('error', (err) => events.failed(failureOf(err)));
  client.on('close', () => {
    if (closed) return;
    closed = true;
    events.closed();
  });
  return new MqttJsClient(client);
};

function clientOptions(o: BrokerClientOptions): IClientOptions {
  const opts: IClientOptions = {
    clientId: o.clientId,
    protocolVersion: o.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    resubscribe: false,
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

function failureOf(err: Error): BrokerFailure {
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
