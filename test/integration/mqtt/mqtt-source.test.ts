import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel, SensorModel } from '../../../src/config/model.js';
import type { PushSource } from '../../../src/sensors/live/source.js';
import { checkBroker } from '../../../src/sensors/mqtt/check-broker.js';
import { createMqttSource } from '../../../src/sensors/mqtt/create-mqtt-source.js';
import { MqttConnections } from '../../../src/sensors/mqtt/mqtt-connections.js';
import { freePort, hasMosquitto, Mosquitto } from '../../helpers/mosquitto.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { waitFor } from './wait-for.js';

/**
 * MQTT sensors against a real mosquitto on a free loopback port: values, wildcards, json_path,
 * retained values, garbage, the broker going away and coming back, credentials, MQTT 3.1.1 and 5.
 */

function deployment(spec: Record<string, unknown>): DeploymentModel {
  const r = loadConfigText(stringify({ version: 1, ...spec }), '/test/deploy.yaml', { env: {} });
  expect(r.issues.sorted().map(formatIssue)).toEqual([]);
  if (r.model === undefined) throw new Error('invalid deployment');
  return r.model;
}

/** A running set of sources over one registry, closed by `stop`. */
class Run {
  readonly sinks = new Map<string, RecordingSink>();
  private readonly sources: PushSource[] = [];
  readonly connections: MqttConnections;

  constructor(readonly model: DeploymentModel) {
    this.connections = new MqttConnections({ outputs: model.outputs.mqtt, backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 3000 });
  }

  async start(): Promise<void> {
    await Promise.all(this.model.sensors.map((s) => this.startOne(s)));
  }

  private async startOne(s: SensorModel): Promise<void> {
    const sink = new RecordingSink();
    this.sinks.set(s.id, sink);
    const source = createMqttSource(s, { connections: this.connections });
    this.sources.push(source);
    await source.start(sink);
  }

  sink(id: string): RecordingSink {
    const s = this.sinks.get(id);
    if (s === undefined) throw new Error(`no sensor ${id}`);
    return s;
  }

  /** Every transport event, whichever sink reported it. */
  transports(): string[] {
    return [...this.sinks.values()].flatMap((s) => s.transports.map((e) => `${e.status}${e.code === undefined ? '' : ` ${e.code}`}`));
  }

  async stop(): Promise<void> {
    await Promise.all(this.sources.map((s) => s.close()));
    await this.connections.close();
  }
}

async function publisher(url: string, protocolVersion: 4 | 5, auth: { username?: string; password?: string } = {}): Promise<MqttClient> {
  return connectAsync(url, { protocolVersion, reconnectPeriod: 0, clientId: `test-pub-${Math.random().toString(16).slice(2, 10)}`, ...auth });
}

const describeBroker = hasMosquitto() ? describe : describe.skip;

describeBroker.each([5, 4] as const)('MQTT sensors on mosquitto, protocol_version %i', (version) => {
  let broker: Mosquitto;
  let pub: MqttClient;
  let run: Run | undefined;

  beforeAll(async () => {
    broker = await Mosquitto.start();
    pub = await publisher(broker.url(), version);
  });
  afterEach(async () => {
    await run?.stop();
    run = undefined;
  });
  afterAll(async () => {
    await pub.endAsync(true);
    await broker.dispose();
  });

  const send = async (topic: string, payload: string, retain = false) => {
    await pub.publishAsync(topic, payload, { qos: 1, retain });
  };

  const sensors = (prefix: string) => [
    { id: 'exact', kind: 'mqtt', topic: `${prefix}/lobby/temp`, unit: 'degC' },
    { id: 'plus', kind: 'mqtt', topic: `${prefix}/+/temp` },
    { id: 'hash', kind: 'mqtt', topic: `${prefix}/#`, type: 'string' },
    { id: 'deep', kind: 'mqtt', topic: `${prefix}/json`, json_path: 'data.0.value' },
    { id: 'door', kind: 'mqtt', topic: `${prefix}/door`, type: 'boolean' },
    { id: 'blob', kind: 'mqtt', topic: `${prefix}/json`, type: 'json' },
    { id: 'tags', kind: 'entities', topic: `${prefix}/tags/+` },
  ];

  it('delivers retained values at start, exact topics, wildcards and json_path, on one shared connection', async () => {
    const p = `v${version}a`;
    await send(`${p}/lobby/temp`, '21.5', true);
    run = new Run(deployment({ sensors: sensors(p), outputs: { mqtt: { url: broker.url(), protocol_version: version } } }));
    await run.start();
    expect(run.connections.size).toBe(1);
    const r = run;
    await waitFor(() => r.sink('exact').last === 21.5 && r.sink('plus').last === 21.5, 'the retained value');

    await send(`${p}/kitchen/temp`, ' 19 ');
    await send(`${p}/json`, JSON.stringify({ data: [{ value: 7.25 }] }));
    await send(`${p}/door`, 'ON');
    await send(`${p}/tags/t1`, JSON.stringify({ id: 't1', x: 1, y: 2 }));
    await waitFor(() => r.sink('tags').values.length === 1 && r.sink('door').values.length === 1, 'the messages');
    await waitFor(() => r.sink('hash').values.length === 5, 'every message under the prefix');

    expect(r.sink('exact').values).toEqual([21.5]);
    expect(r.sink('plus').values).toEqual([21.5, 19]);
    expect(r.sink('deep').values).toEqual([7.25]);
    expect(r.sink('door').values).toEqual([true]);
    expect(r.sink('blob').values).toEqual([{ data: [{ value: 7.25 }] }]);
    expect(r.sink('tags').values).toEqual([{ id: 't1', x: 1, y: 2 }]);
    expect(r.sink('hash').values).toContain('ON');
    expect(r.transports()).toEqual(['connected']);
    for (const s of r.sinks.values()) expect(s.faults).toEqual([]);
    await send(`${p}/lobby/temp`, '', true);
  });

  it('reports a payload that is not a reading as garbage, naming the topic, and carries on', async () => {
    const p = `v${version}g`;
    run = new Run(deployment({ sensors: sensors(p), outputs: { mqtt: { url: broker.url(), protocol_version: version } } }));
    await run.start();
    const r = run;
    await send(`${p}/lobby/temp`, 'hot');
    await send(`${p}/json`, '{"data": []}');
    await send(`${p}/lobby/temp`, '22');
    await waitFor(() => r.sink('exact').values.length === 1 && r.sink('deep').faults.length === 1, 'the messages');
    expect(r.sink('exact').faults.map((f) => [f.status, f.code, f.message])).toEqual([
      ['garbage', 'SPATIA_SENSOR_GARBAGE', `topic ${p}/lobby/temp: payload "hot" is not a number`],
    ]);
    expect(r.sink('deep').faults.map((f) => f.message)).toEqual([`topic ${p}/json: payload "{\\"data\\": []}" has nothing at json_path data.0.value`]);
    expect(r.sink('exact').values).toEqual([22]);
  });

  it('marks every sensor lost once when the broker stops, and resumes (retained values again) when it restarts', async () => {
    const p = `v${version}r`;
    await send(`${p}/lobby/temp`, '20', true);
    run = new Run(deployment({ sensors: sensors(p), outputs: { mqtt: { url: broker.url(), protocol_version: version } } }));
    await run.start();
    const r = run;
    await waitFor(() => r.sink('exact').last === 20, 'the retained value');

    await pub.endAsync(true);
    await broker.stop();
    await waitFor(() => [...r.sinks.values()].every((s) => s.losses.length === 1), 'every sensor lost');
    for (const s of r.sinks.values()) expect(s.losses.map((f) => f.code)).toEqual(['SPATIA_SENSOR_DISCONNECTED']);
    // Retrying against a broker that is down: still one loss per sensor, one disconnected event.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(r.transports()).toEqual(['connected', 'disconnected SPATIA_MQTT_CONNECT']);
    for (const s of r.sinks.values()) expect(s.losses).toHaveLength(1);

    await broker.start();
    // Persistence is off: the restarted broker lost the retained value; publish it again.
    pub = await publisher(broker.url(), version);
    await waitFor(() => r.transports().length === 3, 'the reconnection');
    expect(r.transports()[2]).toBe('connected');
    await send(`${p}/lobby/temp`, '23', true);
    await waitFor(() => r.sink('exact').last === 23 && r.sink('plus').last === 23, 'values after the restart');
    await send(`${p}/lobby/temp`, '', true);
  });
});

describeBroker('MQTT credentials', () => {
  let broker: Mosquitto;
  beforeAll(async () => {
    broker = await Mosquitto.start({ users: { spatia: 'right-password' } });
  });
  afterAll(async () => broker.dispose());

  it.each([5, 4] as const)('refused credentials are a SPATIA_MQTT_AUTH event (protocol_version %i); right ones connect', async (version) => {
    const bad = new Run(
      deployment({
        sensors: [{ id: 't', kind: 'mqtt', topic: 'auth/t' }],
        outputs: { mqtt: { url: broker.url(), username: 'spatia', password: 'wrong', protocol_version: version } },
      }),
    );
    await bad.start();
    await waitFor(() => bad.transports().length > 0, 'the refusal');
    const event = bad.sink('t').transports[0];
    expect(event).toMatchObject({ status: 'error', code: 'SPATIA_MQTT_AUTH', transport: broker.url() });
    expect(event?.message).not.toContain('wrong');
    expect(bad.sink('t').losses).toEqual([]);
    await bad.stop();

    const good = new Run(
      deployment({
        sensors: [{ id: 't', kind: 'mqtt', topic: 'auth/t' }],
        outputs: { mqtt: { url: broker.url(), username: 'spatia', password: 'right-password', protocol_version: version } },
      }),
    );
    await good.start();
    expect(good.transports()).toEqual(['connected']);
    const pub = await publisher(broker.url(), version, { username: 'spatia', password: 'right-password' });
    await pub.publishAsync('auth/t', '5', { qos: 1 });
    await waitFor(() => good.sink('t').last === 5, 'a value');
    await pub.endAsync(true);
    await good.stop();
  });

  it('checkBroker: connects, and tells refused credentials from an unreachable broker', async () => {
    expect(await checkBroker(broker.url(), { username: 'spatia', password: 'right-password' })).toMatchObject({ ok: true });
    expect(await checkBroker(broker.url(), { username: 'spatia', password: 'nope', protocolVersion: 4 })).toMatchObject({
      ok: false,
      code: 'SPATIA_MQTT_AUTH',
    });
    const down = await checkBroker(`mqtt://127.0.0.1:${await freePort()}`, { timeoutMs: 3000 });
    expect(down).toMatchObject({ ok: false, code: 'SPATIA_MQTT_CONNECT' });
    expect(down.message).toMatch(/ECONNREFUSED/);
  });
});

describeBroker('closing', () => {
  it('leaves no socket or timer behind, even while reconnecting', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
    const broker = await Mosquitto.start();
    const run = new Run(deployment({ sensors: [{ id: 't', kind: 'mqtt', topic: 'c/t', url: broker.url() }] }));
    await run.start();
    expect(run.transports()).toEqual(['connected']);
    await broker.dispose();
    await waitFor(() => run.transports().length === 2, 'the disconnection');
    await run.stop();
    expect(run.connections.size).toBe(0);
    const leftover = () => {
      const now = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
      for (const r of before) {
        const i = now.indexOf(r);
        if (i >= 0) now.splice(i, 1);
      }
      return now.filter((r) => r === 'Timeout' || r === 'TCPSocketWrap' || r === 'TCPWrap');
    };
    await waitFor(() => leftover().length === 0, `no leftover handles (${leftover().join(', ')})`, 5000);
  });
});
