import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionJob } from '../../../../src/actions/action-runner.js';
import { createMqttActionRunner, type MqttActionRunner } from '../../../../src/actions/outbox/mqtt-action-runner.js';
import type { OutboxEvent } from '../../../../src/actions/outbox/outbox-events.js';
import { defaultClientId, defaultStatusTopic } from '../../../../src/actions/outbox/outbox-settings.js';
import type { ActionModel, JsonValue, MqttOutputModel } from '../../../../src/config/model.js';
import { SpatiaError } from '../../../../src/core/errors.js';
import { FakePublisherBroker, waitFor } from './fake-publisher.js';

const POS = { file: 'deploy.yaml', line: 1, col: 1, path: 'conditions[0].actions[0]' };

function model(over: Partial<MqttOutputModel> = {}): MqttOutputModel {
  const base: MqttOutputModel = {
    url: 'mqtt://127.0.0.1:1',
    clientId: 'lobby-pi',
    username: undefined,
    password: undefined,
    protocolVersion: 5,
    ca: undefined,
    cert: undefined,
    key: undefined,
    outboxMaxBytes: 1 << 20,
    statusTopic: undefined,
  };
  return { ...base, ...over };
}

function job(action: ActionModel, topic: string | undefined, payload: JsonValue | undefined): ActionJob {
  return {
    request: { t: 3, tick: 30, condition: 'lobby_hot', edge: 'rising', index: 0, action: { model: action, message: undefined, payload: undefined }, message: topic, payload },
    edge: { t: 3, tick: 30, type: 'edge', id: 'lobby_hot', edge: 'rising' },
    inputs: {},
  } as unknown as ActionJob;
}

const MQTT: ActionModel = { kind: 'mqtt', topic: 'alerts/{zone}', payload: {}, qos: 1, retain: false, pos: POS } as unknown as ActionModel;

describe('mqtt action runner', () => {
  const dirs: string[] = [];
  const runners: MqttActionRunner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.close()));
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function create(over: Partial<MqttOutputModel> = {}, nodeId?: string) {
    const stateDir = mkdtempSync(join(tmpdir(), 'spatia-state-'));
    dirs.push(stateDir);
    const broker = new FakePublisherBroker();
    const events: OutboxEvent[] = [];
    const runner = await createMqttActionRunner({
      model: model(over),
      stateDir,
      ...(nodeId === undefined ? {} : { nodeId }),
      onEvent: (e) => events.push(e),
      tuning: { commitIntervalMs: 1, cursorIntervalMs: 5 },
      deps: { open: broker.open, backoff: { initialMs: 2, maxMs: 10 }, random: () => 0.5 },
    });
    runners.push(runner);
    return { runner, broker, events, stateDir };
  }

  it('resolves ok once the message is durable, with topic, event_id and queued; publishes the rendered topic and payload', async () => {
    const { runner, broker } = await create();
    const outcome = await runner.run(job(MQTT, 'alerts/lobby', { temp: 28.5 }), new AbortController().signal);
    expect(outcome).toEqual({ status: 'ok', detail: { topic: 'alerts/lobby', event_id: 'lobby-pi-0', queued: true } });
    await waitFor(() => broker.payloads('alerts/lobby').length === 1, 'delivery');
    expect(broker.payloads('alerts/lobby')).toEqual([{ event_id: 'lobby-pi-0', temp: 28.5 }]);
    expect(broker.last.options.clientId).toBe('lobby-pi');
    expect(broker.last.options.will.topic).toBe('spatia/lobby-pi/status');
  });

  it('uses status_topic and a node id when given; the client id defaults to spatia-<hostname>', async () => {
    const { runner, broker } = await create({ clientId: undefined, statusTopic: 'site/lobby/status' }, 'lobby');
    expect(await runner.run(job(MQTT, 'a/b', 1), new AbortController().signal)).toMatchObject({ detail: { event_id: 'lobby-0' } });
    await waitFor(() => broker.retained.get('site/lobby/status') === 'online', 'online');
    expect(broker.last.options.clientId).toBe(defaultClientId());
    expect(defaultClientId('pi.local')).toBe('spatia-pi_local');
    expect(defaultStatusTopic('a/b+c')).toBe('spatia/a_b_c/status');
  });

  it('reports what cannot be queued as a failed action, and an abort before queueing as aborted', async () => {
    const { runner } = await create();
    expect(await runner.run(job(MQTT, 'alerts/+', 1), new AbortController().signal)).toMatchObject({
      status: 'failed',
      code: 'SPATIA_ACTION_FAILED',
      reason: 'topic',
      detail: { topic: 'alerts/+' },
    });
    const aborted = new AbortController();
    aborted.abort();
    expect(await runner.run(job(MQTT, 'alerts/lobby', 1), aborted.signal)).toMatchObject({ status: 'failed', reason: 'aborted' });
    const log: ActionModel = { kind: 'log', message: 'x', level: 'info', pos: POS } as unknown as ActionModel;
    expect(await runner.run(job(log, 'x', undefined), new AbortController().signal)).toMatchObject({ status: 'failed', reason: 'wrong kind' });
  });

  it('says in the outcome how many older messages were dropped to make room', async () => {
    const { runner, broker, events } = await create({ outboxMaxBytes: 300 });
    broker.stop();
    const outcomes = [];
    for (let i = 0; i < 6; i++) outcomes.push(await runner.run(job(MQTT, 'alerts/lobby', { i }), new AbortController().signal));
    const dropped = outcomes.map((o) => (o.status === 'ok' ? (o.detail?.['dropped'] ?? 0) : -1));
    const fromEvents = events.filter((e) => e.type === 'outbox' && e.status === 'dropped').length;
    expect(dropped.reduce((a, b) => Number(a) + Number(b), 0)).toBeGreaterThan(0);
    expect(dropped.filter((d) => d !== 0)).toHaveLength(fromEvents);
  });

  it('queues a publish of a callback command like an action', async () => {
    const { runner, broker } = await create();
    expect(await runner.publish('cb/out', { ok: true }, 0, true)).toMatchObject({ status: 'ok', detail: { topic: 'cb/out', queued: true } });
    await waitFor(() => broker.acked.some((p) => p.topic === 'cb/out'), 'delivery');
    expect(broker.acked.find((p) => p.topic === 'cb/out')).toMatchObject({ qos: 0, retain: true });
  });

  it('fails to start with SPATIA_RUNTIME when the state directory cannot hold the outbox', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'spatia-state-'));
    dirs.push(stateDir);
    writeFileSync(join(stateDir, 'outbox'), 'a file where the directory should be');
    const err = await createMqttActionRunner({ model: model(), stateDir, onEvent: () => undefined }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpatiaError);
    expect(err).toMatchObject({ code: 'SPATIA_RUNTIME', message: expect.stringContaining('cannot open the MQTT outbox') });
  });
});
