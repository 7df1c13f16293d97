import { describe, expect, it } from 'vitest';
import type { MqttConnectionModel, SensorModel } from '../../../../src/config/model.js';
import type { PushSource } from '../../../../src/sensors/live/source.js';
import { createMqttSource } from '../../../../src/sensors/mqtt/create-mqtt-source.js';
import { MqttConnections, type MqttConnectionsOptions } from '../../../../src/sensors/mqtt/mqtt-connections.js';
import { RecordingSink } from '../../../helpers/recording-sink.js';
import { sensorModel } from '../../../helpers/sensor-model.js';
import { FakeBroker, ManualTimers, settle } from './fake-broker.js';

const OUTPUTS: MqttConnectionModel = {
  url: 'mqtt://user:pw@broker.local:1883',
  clientId: 'lobby-pi',
  username: 'spatia',
  password: 'hunter2',
  protocolVersion: 5,
  ca: undefined,
  cert: undefined,
  key: undefined,
};

function sensor(id: string, hardware: Record<string, unknown>, valueType: SensorModel['valueType'] = 'number'): SensorModel {
  return sensorModel({ id, kind: 'mqtt', valueType, hardware: { url: OUTPUTS.url, ...hardware }, pos: { file: 'x.yaml', line: 1, col: 1, path: id } });
}

/** A registry on a fake broker and manual timers, with sources started on recording sinks. */
class Harness {
  readonly broker = new FakeBroker();
  readonly timers = new ManualTimers();
  readonly connections: MqttConnections;
  readonly sinks = new Map<string, RecordingSink>();
  readonly sources = new Map<string, PushSource>();
  now = 0;

  constructor(opts: MqttConnectionsOptions = {}) {
    this.connections = new MqttConnections({
      outputs: OUTPUTS,
      open: this.broker.open,
      timers: this.timers,
      random: () => 0.999_999,
      nowMs: () => this.now,
      backoff: { initialMs: 100, maxMs: 1000 },
      ...opts,
    });
  }

  /** Starts the sources; their start() promises are returned unawaited (they wait for the broker). */
  start(...sensors: SensorModel[]): Promise<void[]> {
    return Promise.all(
      sensors.map((s) => {
        const sink = new RecordingSink();
        const source = createMqttSource(s, { connections: this.connections });
        this.sinks.set(s.id, sink);
        this.sources.set(s.id, source);
        return source.start(sink);
      }),
    );
  }

  sink(id: string): RecordingSink {
    const s = this.sinks.get(id);
    if (s === undefined) throw new Error(id);
    return s;
  }

  transports(): string[] {
    return [...this.sinks.values()].flatMap((s) => s.transports.map((e) => `${e.status}${e.code ? ` ${e.code}` : ''}: ${e.message ?? ''}`));
  }
}

describe('MqttConnections', () => {
  it('shares one connection between sensors with the same settings, one subscription per distinct filter', async () => {
    const h = new Harness();
    const started = h.start(sensor('a', { topic: 'site/+/temp' }), sensor('b', { topic: 'site/+/temp' }), sensor('c', { topic: 'site/door' }));
    await settle();
    expect(h.broker.clients).toHaveLength(1);
    const c = h.broker.last;
    expect(c.url).toBe(OUTPUTS.url);
    expect(c.options).toMatchObject({ clientId: 'lobby-pi-sensors', username: 'spatia', password: 'hunter2', protocolVersion: 5 });
    c.accept();
    expect(c.subscribed).toEqual([
      ['site/+/temp', 1],
      ['site/door', 2],
    ]);
    c.suback();
    await started;
    expect(h.transports()).toEqual(['connected: connected (MQTT 5, client id lobby-pi-sensors)']);
    // The label never carries the URL's credentials.
    expect(h.sink('a').transports[0]?.transport).toBe('mqtt://broker.local:1883');
  });

  it('routes MQTT 5 copies by subscription identifier, so overlapping filters get each message once', async () => {
    const h = new Harness();
    const started = h.start(sensor('exact', { topic: 'site/lobby/temp' }), sensor('plus', { topic: 'site/+/temp' }), sensor('all', { topic: 'site/#' }, 'string'));
    await settle();
    const c = h.broker.last;
    c.accept();
    c.suback();
    await started;
    // mosquitto sends one copy per matching subscription, each tagged with its identifier.
    c.publish('site/lobby/temp', '21', 1);
    c.publish('site/lobby/temp', '21', 2);
    c.publish('site/lobby/temp', '21', 3);
    c.publish('site/kitchen/temp', '19', [2, 3]);
    expect(h.sink('exact').values).toEqual([21]);
    expect(h.sink('plus').values).toEqual([21, 19]);
    expect(h.sink('all').values).toEqual(['21', '19']);
  });

  it('under MQTT 3.1.1 matches filters itself and drops the copies sent for overlapping filters', async () => {
    const h = new Harness({ outputs: { ...OUTPUTS, protocolVersion: 4 } });
    const started = h.start(sensor('exact', { topic: 'site/lobby/temp' }), sensor('plus', { topic: 'site/+/temp' }), sensor('all', { topic: 'site/#' }, 'string'));
    await settle();
    const c = h.broker.last;
    c.accept();
    expect(c.subscribed.map(([, id]) => id)).toEqual([undefined, undefined, undefined]);
    c.suback();
    await started;
    for (let i = 0; i < 3; i++) c.publish('site/lobby/temp', '21');
    c.publish('site/lobby/temp', '21');
    c.publish('$SYS/load', '1');
    c.publish('site/x', '5');
    expect(h.sink('exact').values).toEqual([21, 21]);
    expect(h.sink('plus').values).toEqual([21, 21]);
    expect(h.sink('all').values).toEqual(['21', '21', '5']);
    // Copies are expected only right after the original.
    c.publish('site/lobby/temp', '22');
    h.now += 1000;
    c.publish('site/lobby/temp', '22');
    expect(h.sink('exact').values).toEqual([21, 21, 22, 22]);
  });

  it('reports garbage with the topic and a preview of the payload', async () => {
    const h = new Harness();
    const started = h.start(sensor('t', { topic: 'a/+' }), sensor('j', { topic: 'j', json_path: 'v.x' }));
    await settle();
    h.broker.last.accept();
    h.broker.last.suback();
    await started;
    h.broker.last.publish('a/b', 'hot', 1);
    h.broker.last.publish('j', '{"v": {}}', 2);
    expect(h.sink('t').faults.map((f) => [f.status, f.code, f.message])).toEqual([
      ['garbage', 'SPATIA_SENSOR_GARBAGE', 'topic a/b: payload "hot" is not a number'],
    ]);
    expect(h.sink('j').faults[0]?.message).toBe('topic j: payload "{\\"v\\": {}}" has nothing at json_path v.x');
  });

  it('backs off exponentially while the broker is unreachable, reporting the outage once, without losses before the first connect', async () => {
    const h = new Harness();
    const started = h.start(sensor('a', { topic: 't' }), sensor('b', { topic: 'u' }));
    await settle();
    h.broker.last.fail('connect ECONNREFUSED 10.0.0.1:1883', 'ECONNREFUSED');
    await started;
    for (let i = 0; i < 5; i++) {
      h.timers.fireAll();
      await settle();
      h.broker.last.fail('connect ECONNREFUSED 10.0.0.1:1883', 'ECONNREFUSED');
    }
    expect(h.timers.delays).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(h.transports()).toEqual(['disconnected SPATIA_MQTT_CONNECT: connect ECONNREFUSED 10.0.0.1:1883; retrying in 0.1 s, then with backoff']);
    expect(h.sink('a').losses).toEqual([]);
    h.timers.fireAll();
    await settle();
    h.broker.last.accept();
    expect(h.broker.last.subscribed.map(([f]) => f)).toEqual(['t', 'u']);
    expect(h.transports()[1]).toMatch(/^connected/);
    for (const c of h.broker.clients.slice(0, -1)) expect(c.ended).toBe(true);
  });

  it('marks each sensor lost once per drop, re-subscribes on reconnect, and restarts the backoff after a stable connection', async () => {
    const h = new Harness();
    const started = h.start(sensor('a', { topic: 't' }), sensor('b', { topic: 't' }));
    await settle();
    h.broker.last.accept();
    h.broker.last.suback();
    await started;
    h.now += 5000;
    h.broker.last.drop();
    expect(h.sink('a').losses.map((f) => [f.code, f.message])).toEqual([
      ['SPATIA_SENSOR_DISCONNECTED', 'mqtt://broker.local:1883: connection lost (the broker closed the connection); the last value is held until it comes back'],
    ]);
    expect(h.sink('b').losses).toHaveLength(1);
    h.timers.fireAll();
    await settle();
    h.broker.last.fail('connect ECONNREFUSED', 'ECONNREFUSED');
    expect(h.sink('a').losses).toHaveLength(1);
    expect(h.timers.delays).toEqual([100, 200]);
    h.timers.fireAll();
    await settle();
    h.broker.last.accept();
    expect(h.broker.last.subscribed).toEqual([['t', 1]]);
    h.broker.last.suback();
    h.broker.last.publish('t', '3', 1);
    expect(h.sink('a').values).toEqual([3]);
    expect(h.sink('b').values).toEqual([3]);
    // A quick drop right after reconnecting keeps growing the delay; a long-lived one resets it.
    h.broker.last.drop();
    expect(h.timers.delays).toEqual([100, 200, 400]);
    expect(h.sink('a').losses).toHaveLength(2);
    h.timers.fireAll();
    await settle();
    h.broker.last.accept();
    h.now += 60_000;
    h.broker.last.drop();
    expect(h.timers.delays).toEqual([100, 200, 400, 100]);
    expect(h.transports().map((t) => t.split(':')[0])).toEqual([
      'connected',
      'disconnected SPATIA_MQTT_CONNECT',
      'connected',
      'disconnected SPATIA_MQTT_CONNECT',
      'connected',
      'disconnected SPATIA_MQTT_CONNECT',
    ]);
  });

  it.each([
    [4, 'Connection refused: Bad username or password'],
    [134, 'Connection refused: Bad User Name or Password'],
    [135, 'Connection refused: Not authorized'],
  ])('reports CONNACK code %i as SPATIA_MQTT_AUTH, without the password', async (code, message) => {
    const h = new Harness();
    const started = h.start(sensor('a', { topic: 't' }));
    await settle();
    h.broker.last.fail(message, code);
    await started;
    const [event] = h.sink('a').transports;
    expect(event).toMatchObject({ status: 'error', code: 'SPATIA_MQTT_AUTH' });
    expect(event?.message).toContain('check username, password and client_id');
    expect(JSON.stringify(event)).not.toMatch(/hunter2|pw@/);
  });

  it('reports a refused subscription as a fault of the sensors on that filter', async () => {
    const h = new Harness();
    const started = h.start(sensor('ok', { topic: 'open' }), sensor('no', { topic: 'secret/#' }));
    await settle();
    h.broker.last.accept();
    h.broker.last.suback(['secret/#']);
    await started;
    expect(h.sink('ok').faults).toEqual([]);
    expect(h.sink('no').faults.map((f) => [f.code, f.message])).toEqual([
      ['SPATIA_MQTT_AUTH', 'mqtt://broker.local:1883: the broker refused the subscription to secret/# (is this client allowed to read it?)'],
    ]);
  });

  it('unsubscribes a filter when its last sensor closes, and ends the connection with the last sensor', async () => {
    const h = new Harness();
    const started = h.start(sensor('a', { topic: 't' }), sensor('b', { topic: 't' }), sensor('c', { topic: 'u' }));
    await settle();
    const c = h.broker.last;
    c.accept();
    c.suback();
    await started;
    await h.sources.get('a')?.close();
    expect(c.unsubscribes).toEqual([]);
    await h.sources.get('b')?.close();
    expect(c.unsubscribes).toEqual(['t']);
    c.publish('t', '1', 1);
    expect(h.sink('a').values).toEqual([]);
    expect(h.connections.size).toBe(1);
    await h.sources.get('c')?.close();
    expect(c.ended).toBe(true);
    expect(h.connections.size).toBe(0);
  });

  it('close() stops a pending reconnect and ignores a late attempt', async () => {
    const h = new Harness();
    void h.start(sensor('a', { topic: 't' }));
    await settle();
    h.broker.last.fail('connect ECONNREFUSED', 'ECONNREFUSED');
    expect(h.timers.size).toBe(1);
    await h.connections.close();
    expect(h.timers.size).toBe(0);
    expect(h.connections.size).toBe(0);
    // A source closed after its registry: nothing left to do, and it does not throw.
    await h.sources.get('a')?.close();
  });

  it('uses a sensor’s own connection keys on a connection of its own', async () => {
    const h = new Harness();
    void h.start(
      sensor('shared', { topic: 't' }),
      sensor('same-url-own-user', { topic: 't', username: 'other', password: 'x' }),
      sensor('elsewhere', { topic: 't', url: 'mqtt://10.0.0.9', client_id: 'mine', protocol_version: 4 }),
      sensor('elsewhere-anon', { topic: 't', url: 'mqtt://10.0.0.9' }),
    );
    await settle();
    expect(h.broker.clients.map((c) => [c.url, c.options.username, c.options.protocolVersion])).toEqual([
      [OUTPUTS.url, 'spatia', 5],
      [OUTPUTS.url, 'other', 5],
      ['mqtt://10.0.0.9', undefined, 4],
      ['mqtt://10.0.0.9', undefined, 5],
    ]);
    expect(h.broker.clients[2]?.options.clientId).toBe('mine');
    expect(h.broker.clients[3]?.options.clientId).toMatch(/^spatia-[0-9a-f]{8}$/);
    await h.connections.close();
  });

  it('reads TLS files at each attempt; an unreadable one is a SPATIA_CONFIG_FILE event, retried', async () => {
    const files: Record<string, string> = { '/tls/ca.pem': 'CA PEM' };
    const h = new Harness({
      outputs: { ...OUTPUTS, url: 'mqtts://broker.local:8883', ca: '/tls/ca.pem', cert: '/tls/c.pem', key: '/tls/c.key' },
      readFile: async (path) => {
        const content = files[path];
        if (content === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
        return Buffer.from(content);
      },
    });
    void h.start(sensor('a', { topic: 't', url: 'mqtts://broker.local:8883' }));
    await settle();
    expect(h.broker.clients).toHaveLength(0);
    expect(h.transports()).toEqual([
      'error SPATIA_CONFIG_FILE: cannot read the cert file /tls/c.pem (ENOENT); check the path and that the service user may read it; retrying in 0.1 s, then with backoff',
    ]);
    files['/tls/c.pem'] = 'CERT';
    files['/tls/c.key'] = 'KEY';
    h.timers.fireAll();
    await settle();
    expect(h.broker.last.options).toMatchObject({ ca: Buffer.from('CA PEM'), cert: Buffer.from('CERT'), key: Buffer.from('KEY') });
    await h.connections.close();
  });
});
