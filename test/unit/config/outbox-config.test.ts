import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';

function load(...lines: string[]) {
  const r = loadConfigText(`${['version: 1', ...lines].join('\n')}\n`, '/site/deploy.yaml', { env: {} });
  return { model: r.model, problems: r.issues.sorted().map(formatIssue).map((l) => l.replace('/site/deploy.yaml:', '')) };
}

describe('outputs.mqtt: outbox and status keys', () => {
  it('defaults: 64 MB outbox, status topic left to the runtime', () => {
    const r = load('outputs: {mqtt: {url: "mqtt://127.0.0.1:1883"}}');
    expect(r.problems).toEqual([]);
    expect(r.model?.outputs.mqtt).toMatchObject({ outboxMaxBytes: 64 * 1024 * 1024, statusTopic: undefined, clientId: undefined });
  });

  it('reads status_topic and outbox_max_bytes as written', () => {
    const r = load('outputs: {mqtt: {url: "mqtt://127.0.0.1:1883", client_id: lobby-pi, status_topic: site/lobby-pi/status, outbox_max_bytes: 2MB}}');
    expect(r.problems).toEqual([]);
    expect(r.model?.outputs.mqtt).toMatchObject({ clientId: 'lobby-pi', statusTopic: 'site/lobby-pi/status', outboxMaxBytes: 2 * 1024 * 1024 });
  });

  it('refuses a status topic with wildcards, an empty one, and a zero outbox, at the value', () => {
    const wildcard = load('outputs: {mqtt: {url: "mqtt://127.0.0.1:1883", status_topic: "site/+/status"}}');
    expect(wildcard.problems).toEqual([
      '2:62 outputs.mqtt.status_topic: cannot publish to "site/+/status": + and # are wildcards, for subscriptions only [SPATIA_CONFIG_VALUE]',
    ]);
    expect(load('outputs: {mqtt: {url: "mqtt://127.0.0.1:1883", status_topic: ""}}').problems).toEqual([
      '2:62 outputs.mqtt.status_topic: the topic must not be empty [SPATIA_CONFIG_VALUE]',
    ]);
    expect(load('outputs: {mqtt: {url: "mqtt://127.0.0.1:1883", outbox_max_bytes: 0}}').problems).toEqual([
      '2:66 outputs.mqtt.outbox_max_bytes: must be at least 1 byte [SPATIA_CONFIG_VALUE]',
    ]);
  });
});
