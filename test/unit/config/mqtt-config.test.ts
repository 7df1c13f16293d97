import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';

function load(...lines: string[]) {
  const r = loadConfigText(`${['version: 1', ...lines].join('\n')}\n`, '/site/deploy.yaml', { env: {} });
  return { model: r.model, problems: r.issues.sorted().map(formatIssue).map((l) => l.replace('/site/deploy.yaml:', '')) };
}

describe('mqtt sensor keys', () => {
  it('accepts wildcard filters and dotted or JSONPath-style json_path', () => {
    const r = load(
      'outputs: {mqtt: {url: "mqtt://127.0.0.1:1883"}}',
      'sensors:',
      '  - {id: a, kind: mqtt, topic: "site/+/temperature", json_path: data.0.value}',
      '  - {id: b, kind: mqtt, topic: "site/#", json_path: "$.data[0].value"}',
      '  - {id: c, kind: mqtt, topic: "#"}',
    );
    expect(r.problems).toEqual([]);
    expect(r.model?.sensors.map((s) => s.hardware['topic'])).toEqual(['site/+/temperature', 'site/#', '#']);
  });

  it('refuses invalid topic filters and json paths, at the value', () => {
    const r = load(
      'outputs: {mqtt: {url: "mqtt://127.0.0.1:1883"}}',
      'sensors:',
      '  - {id: a, kind: mqtt, topic: "site/#/x"}',
      '  - {id: b, kind: mqtt, topic: "site/temp+"}',
      '  - {id: c, kind: mqtt, topic: t, json_path: "a..b"}',
      '  - {id: d, kind: mqtt, topic: t, json_path: "a.*"}',
      '  - {id: e, kind: entities, topic: "$share/g/t"}',
    );
    expect(r.problems).toEqual([
      '4:32 sensors[0].topic: invalid topic filter: # must be a whole level and the last one, as in site/# [SPATIA_CONFIG_VALUE]',
      '5:32 sensors[1].topic: invalid topic filter: + must be a whole level, as in site/+/temperature [SPATIA_CONFIG_VALUE]',
      '6:46 sensors[2].json_path: invalid json_path: empty step (".." or a leading or trailing ".") [SPATIA_CONFIG_VALUE]',
      '7:46 sensors[3].json_path: invalid json_path: wildcards (*) are not supported: a sensor holds one value [SPATIA_CONFIG_VALUE]',
      '8:36 sensors[4].topic: invalid topic filter: shared subscriptions ($share/...) would give each node only some messages [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it("stores a sensor's own connection keys in hardware, with TLS paths made absolute", () => {
    const r = load(
      'sensors:',
      '  - id: a',
      '    kind: mqtt',
      '    topic: t',
      '    url: mqtts://broker.example:8883',
      '    username: u',
      '    password: p',
      '    protocol_version: 4',
      '    client_id: me',
      '    ca: tls/ca.pem',
      '    cert: tls/me.pem',
      '    key: /etc/spatia/me.key',
    );
    expect(r.problems).toEqual([]);
    expect(r.model?.sensors[0]?.hardware).toEqual({
      topic: 't',
      url: 'mqtts://broker.example:8883',
      username: 'u',
      password: 'p',
      protocol_version: 4,
      client_id: 'me',
      ca: '/site/tls/ca.pem',
      cert: '/site/tls/me.pem',
      key: '/etc/spatia/me.key',
    });
  });

  it('reads the TLS keys and protocol of outputs.mqtt', () => {
    const r = load('outputs:', '  mqtt:', '    url: mqtts://broker:8883', '    protocol_version: 4', '    username: u', '    ca: ca.pem');
    expect(r.problems).toEqual([]);
    expect(r.model?.outputs.mqtt).toMatchObject({ protocolVersion: 4, ca: '/site/ca.pem', cert: undefined, key: undefined });
  });

  it('refuses TLS files on a plain connection, a cert without its key, and a 3.1.1 password without a user', () => {
    const r = load(
      'outputs:',
      '  mqtt:',
      '    url: mqtt://127.0.0.1:1883',
      '    ca: ca.pem',
      'sensors:',
      '  - {id: a, kind: mqtt, topic: t, url: "mqtts://b:8883", cert: c.pem}',
      '  - {id: b, kind: mqtt, topic: t, protocol_version: 4, password: p}',
      '  - {id: c, kind: mqtt, topic: t, protocol_version: 3}',
    );
    expect(r.problems).toEqual([
      '5:5 outputs.mqtt.ca: ca applies to TLS connections (mqtts:// or wss://), not mqtt:// [SPATIA_CONFIG_VALUE]',
      '7:58 sensors[0].cert: cert needs key: TLS client authentication takes a certificate and its private key [SPATIA_CONFIG_MISSING]',
      '8:66 sensors[1].password: MQTT 3.1.1 (protocol_version: 4) needs username with password [SPATIA_CONFIG_MISSING]',
      '9:53 sensors[2].protocol_version: expected one of 5, 4, got 3 [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('keeps connection keys of entities to source mqtt', () => {
    const r = load('sensors:', '  - {id: e, kind: entities, path: /dev/ttyACM0, username: u}');
    expect(r.problems).toEqual(['3:49 sensors[0].username: username only applies to entities from mqtt [SPATIA_CONFIG_VALUE]']);
    const ok = load('sensors:', '  - {id: e, kind: entities, topic: "site/tags/+", url: "mqtt://b", username: u}');
    expect(ok.problems).toEqual([]);
    expect(ok.model?.sensors[0]?.hardware).toEqual({ source: 'mqtt', topic: 'site/tags/+', url: 'mqtt://b', username: 'u' });
  });
});
