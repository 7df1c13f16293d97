import type { SensorModel } from '../../config/model.js';
import { type PushSink, type PushSource, SensorFault, type TransportEvent } from '../live/source.js';
import type { MqttConnection } from './mqtt-connection.js';
import type { MqttConnections } from './mqtt-connections.js';
import type { ConnectionReceiver } from './subscription-table.js';
import { createPayloadParser, NOT_A_READING, type PayloadParser, payloadPreview } from './payload-parser.js';

/** What an MQTT source needs: the run's connection registry. */
export interface MqttSourceDeps {
  readonly connections: MqttConnections;
}

/**
 * An mqtt sensor (or an entities sensor with `source: mqtt`) as a push source: each message on a
 * topic matching its `topic` filter becomes a reading of the sensor's type (see payload-parser),
 * or a `garbage` fault naming the topic and the payload. Retained messages arrive as ordinary
 * readings at every (re)connect. While the broker is away the sensor gets `lost` once per drop,
 * and readings resume by themselves on reconnect.
 */
export function createMqttSource(sensor: SensorModel, deps: MqttSourceDeps): PushSource {
  return new MqttSource(sensor, deps.connections);
}

class MqttSource implements PushSource, ConnectionReceiver {
  readonly mode = 'push';
  private sink: PushSink | undefined;
  private connection: MqttConnection | undefined;
  private readonly parser: PayloadParser;
  private readonly filter: string;

  constructor(
    private readonly sensor: SensorModel,
    private readonly connections: MqttConnections,
  ) {
    const hw = sensor.hardware;
    this.filter = typeof hw['topic'] === 'string' ? hw['topic'] : '';
    const jsonPath = typeof hw['json_path'] === 'string' ? hw['json_path'] : undefined;
    this.parser = createPayloadParser(sensor.kind === 'entities' ? 'json' : sensor.valueType, jsonPath);
  }

  async start(sink: PushSink): Promise<void> {
    if (this.sink !== undefined) return;
    this.sink = sink;
    try {
      this.connection = this.connections.connectionFor(this.sensor);
    } catch (err) {
      sink.fault(new SensorFault('error', 'SPATIA_MQTT_CONNECT', (err as Error).message));
      return;
    }
    await this.connection.attach(this, this.filter);
  }

  deliver(topic: string, payload: Buffer): void {
    const sink = this.sink;
    if (sink === undefined) return;
    const v = this.parser.parse(payload);
    if (v !== NOT_A_READING) sink.value(v);
    else sink.fault(new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', `topic ${topic}: payload ${payloadPreview(payload)} ${this.parser.reason}`));
  }

  lost(fault: SensorFault): void {
    this.sink?.lost(fault);
  }

  refused(fault: SensorFault): void {
    this.sink?.fault(fault);
  }

  transport(event: TransportEvent): void {
    this.sink?.transport(event);
  }

  async close(): Promise<void> {
    const c = this.connection;
    this.connection = undefined;
    this.sink = undefined;
    try {
      await c?.detach(this);
    } catch {
      // close() never rejects (the port's contract); a failing end leaves nothing to release.
    }
  }
}
