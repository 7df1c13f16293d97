import type { IClientOptions, IConnackPacket, MqttClient } from 'mqtt';
import type { BrokerFailure } from '../../sensors/mqtt/broker-client.js';
import type { OpenPublisherClient, PublisherClient, PublisherClientOptions, PublishResult } from './publisher-client.js';

/**
 * The PublisherClient port on mqtt.js (imported lazily, like the sensors' adapter). mqtt.js's
 * reconnect and offline queue are off: its queue lives in memory only, and a publish made
 * before the first connect can wait forever; the outbox holds the messages on disk instead and
 * publishes only on a connected client. Sessions are clean: after a reconnect the outbox sends
 * again everything the broker had not acknowledged.
 */
export const openMqttPublisherClient: OpenPublisherClient = async (url, options, events) => {
  const mqtt = await import('mqtt');
  const client = mqtt.connect(url, clientOptions(options));
  let closed = false;
  client.on('connect', (connack: IConnackPacket) => events.connected({ receiveMaximum: connack.properties?.receiveMaximum }));
  client.on('error', (err) => events.failed(failureOf(err)));
  client.on('close', () => {
    if (closed) return;
    closed = true;
    events.closed();
  });
  return new MqttJsPublisher(client);
};

function clientOptions(o: PublisherClientOptions): IClientOptions {
  const opts: IClientOptions = {
    clientId: o.clientId,
    protocolVersion: o.protocolVersion,
    clean: true,
    reconnectPeriod: 0,
    queueQoSZero: false,
    connectTimeout: o.connectTimeoutMs,
    keepalive: o.keepaliveS,
    will: { topic: o.will.topic, payload: o.will.payload, qos: o.will.qos, retain: o.will.retain },
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

/** An MQTT 5 reason code on a PUBACK/PUBREC (mqtt.js's ErrorWithReasonCode) means a refusal. */
function resultOf(err: Error | undefined): PublishResult {
  if (err === undefined || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'number') return { refused: `${err.message} (reason code 0x${code.toString(16)})` };
  return { broken: err.message };
}

const GRACEFUL_END_MS = 2000;

class MqttJsPublisher implements PublisherClient {
  constructor(private readonly client: MqttClient) {}

  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, done: (result: PublishResult) => void): void {
    this.client.publish(topic, payload, { qos, retain }, (err) => done(resultOf(err)));
  }

  end(graceful: boolean): Promise<void> {
    return new Promise((resolve) => {
      // A graceful end waits for every ack mqtt.js still expects: bounded, then the socket goes.
      const timer = graceful ? setTimeout(() => this.client.stream?.destroy(), GRACEFUL_END_MS) : undefined;
      const finish = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('close', finish);
      this.client.end(!graceful, {}, finish);
    });
  }
}
