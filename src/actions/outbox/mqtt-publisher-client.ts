import type { MqttClient } from 'mqtt';
import { connectMqttJs, mqttJsOptions } from '../../sensors/mqtt/mqtt-client.js';
import type { OpenPublisherClient, PublisherClient, PublishResult } from './publisher-client.js';

/**
 * The PublisherClient port on mqtt.js (connected through the sensors' adapter, the one file that
 * imports mqtt). mqtt.js's
 * reconnect and offline queue are off: its queue lives in memory only, and a publish made
 * before the first connect can wait forever; the outbox holds the messages on disk instead and
 * publishes only on a connected client. Sessions are clean: after a reconnect the outbox sends
 * again everything the broker had not acknowledged.
 */
export const openMqttPublisherClient: OpenPublisherClient = async (url, options, events) => {
  const client = await connectMqttJs(url, { ...mqttJsOptions(options), will: { ...options.will } }, {
    connected: (connack) => events.connected({ receiveMaximum: connack.properties?.receiveMaximum }),
    failed: (f) => events.failed(f),
    closed: () => events.closed(),
  });
  return new MqttJsPublisher(client);
};

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
