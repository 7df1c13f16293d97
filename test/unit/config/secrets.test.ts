import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';

const dir = mkdtempSync(join(tmpdir(), 'spatia-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRETS = ['mqtt_password: s3cr3t-pw', 'pin: 0042', 'nested: {a: 1}', 'other_secret: do-not-print-me', ''].join('\n');

/** Writes `deploy.yaml` (and secrets.yaml) into a fresh directory and loads it with `env`. */
function load(lines: string[], env: Record<string, string> = {}, secrets: string | null = SECRETS) {
  const site = mkdtempSync(join(dir, 'site-'));
  if (secrets !== null) writeFileSync(join(site, 'secrets.yaml'), secrets);
  const file = join(site, 'deploy.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  const r = loadConfigFile(file, { env });
  return { ...r, file, site, problems: r.issues.sorted().map(formatIssue).map((l) => l.replace(`${site}/`, '')) };
}

const OUTPUT = (password: string) => ['version: 1', 'outputs:', '  mqtt:', '    url: mqtt://127.0.0.1:1883', '    username: spatia', `    password: ${password}`];

describe('!secret NAME', () => {
  it('reads the key from secrets.yaml next to the config file', () => {
    const r = load(OUTPUT('!secret mqtt_password'));
    expect(r.problems).toEqual([]);
    expect(r.model?.outputs.mqtt?.password).toBe('s3cr3t-pw');
  });

  it('keeps a secret spelt as written (0042 stays text)', () => {
    expect(load(OUTPUT('!secret pin')).model?.outputs.mqtt?.password).toBe('0042');
  });

  it("prefers systemd's $CREDENTIALS_DIRECTORY/NAME, without its trailing newline", () => {
    const creds = mkdtempSync(join(dir, 'creds-'));
    writeFileSync(join(creds, 'mqtt_password'), 'from-credential\n');
    const r = load(OUTPUT('!secret mqtt_password'), { CREDENTIALS_DIRECTORY: creds });
    expect(r.model?.outputs.mqtt?.password).toBe('from-credential');
    // A name the credentials directory lacks still comes from secrets.yaml.
    expect(load(OUTPUT('!secret pin'), { CREDENTIALS_DIRECTORY: creds }).model?.outputs.mqtt?.password).toBe('0042');
  });

  it('reports a missing key at the reference, naming the file, never a value', () => {
    const r = load(OUTPUT('!secret mqtt_pasword'));
    expect(r.model).toBeUndefined();
    expect(r.problems).toEqual([
      `deploy.yaml:6:23 outputs.mqtt.password: no secret "mqtt_pasword" in ${r.site}/secrets.yaml [SPATIA_CONFIG_SECRET]`,
    ]);
    expect(r.problems.join('\n')).not.toMatch(/s3cr3t|do-not-print/);
  });

  it('reports a missing secrets.yaml, and one that is not valid YAML without quoting it', () => {
    const r = load(OUTPUT('!secret mqtt_password'), {}, null);
    expect(r.problems).toEqual([
      `deploy.yaml:6:23 outputs.mqtt.password: no secret "mqtt_password": ${r.site}/secrets.yaml does not exist [SPATIA_CONFIG_SECRET]`,
    ]);
    const bad = load(OUTPUT('!secret mqtt_password'), {}, 'mqtt_password: "hunter2\nx: [');
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]).toMatch(/secrets\.yaml is not valid YAML \(near character \d+\) \[SPATIA_CONFIG_SECRET\]$/);
    expect(bad.problems[0]).not.toContain('hunter2');
  });

  it('refuses a secret that is not a single value, an empty name and !secret on a map', () => {
    const r = load([...OUTPUT('!secret nested'), '    client_id: !secret', '    protocol_version: !secret {a: 1}']);
    expect(r.problems).toEqual([
      `deploy.yaml:6:23 outputs.mqtt.password: secret "nested" in ${r.site}/secrets.yaml must be a single value (text or a number) [SPATIA_CONFIG_SECRET]`,
      'deploy.yaml:7:23 outputs.mqtt.client_id: !secret needs a name, such as `password: !secret mqtt_password` [SPATIA_CONFIG_SECRET]',
      'deploy.yaml:8:31 outputs.mqtt.protocol_version: !secret takes a name, such as `password: !secret mqtt_password` [SPATIA_CONFIG_SECRET]',
      'deploy.yaml:8:31 outputs.mqtt.protocol_version: expected one of 5, 4, got a map [SPATIA_CONFIG_TYPE]',
    ]);
  });

  it('resolves secrets inside sensors, with the list index in the path', () => {
    const r = load(['version: 1', 'sensors:', '  - {id: t, kind: mqtt, topic: a/b, url: "mqtt://127.0.0.1:1999", username: u, password: !secret nope}']);
    expect(r.problems).toEqual([
      `deploy.yaml:3:98 sensors[0].password: no secret "nope" in ${r.site}/secrets.yaml [SPATIA_CONFIG_SECRET]`,
    ]);
  });
});

describe('${ENV} in string values', () => {
  const text = (lines: string[], env: Record<string, string>) => {
    const r = loadConfigText(`${lines.join('\n')}\n`, '/site/deploy.yaml', { env });
    return { ...r, problems: r.issues.sorted().map(formatIssue) };
  };

  it('replaces references inside any string, quoted or not, with defaults and $${ escapes', () => {
    const r = text(
      [
        'version: 1',
        'runtime:',
        '  state_dir: ${STATE}/spatia',
        '  board: ${BOARD:-pi4}',
        'outputs:',
        '  mqtt: {url: "mqtt://${HOST}:1883", password: "${MQTT_PASSWORD}", client_id: \'$${literal}-${EMPTY:-node}\'}',
      ],
      { STATE: '/var/lib', HOST: '127.0.0.1', MQTT_PASSWORD: 'pw from env', EMPTY: '' },
    );
    expect(r.problems).toEqual([]);
    expect(r.model?.runtime).toMatchObject({ stateDir: '/var/lib/spatia', board: 'pi4' });
    expect(r.model?.outputs.mqtt).toMatchObject({ url: 'mqtt://127.0.0.1:1883', password: 'pw from env', clientId: '${literal}-node' });
  });

  it('reads an unquoted value as YAML would once substituted (numbers, booleans), keeping its spelling for text keys', () => {
    const r = text(
      [
        'version: 1',
        'runtime:',
        '  tick_rate: ${RATE}',
        'sensors:',
        '  - id: t',
        '    kind: i2c',
        '    bus: ${BUS}',
        '    device: tmp102',
        '  - id: d',
        '    kind: gpio',
        '    pin: 4',
        '    active_low: ${LOW}',
        'outputs:',
        '  mqtt:',
        '    url: mqtt://127.0.0.1:1883',
        '    password: ${PIN}',
      ],
      { RATE: '20', BUS: '1', LOW: 'true', PIN: '0042' },
    );
    expect(r.problems).toEqual([]);
    expect(r.model?.runtime.tickUs).toBe(50_000);
    expect(r.model?.sensors.map((s) => s.hardware['bus'] ?? s.hardware['active_low'])).toEqual([1, true]);
    expect(r.model?.outputs.mqtt?.password).toBe('0042');
  });

  it('reports an unset variable and a malformed reference at the value', () => {
    const r = text(['version: 1', 'outputs:', '  mqtt: {url: "mqtt://x", password: "${MQTT_PASSWORD}", username: "${lobby.avg}"}'], {});
    expect(r.problems).toEqual([
      '/site/deploy.yaml:3:37 outputs.mqtt.password: environment variable MQTT_PASSWORD is not set (write ${MQTT_PASSWORD:-default} for a default) [SPATIA_CONFIG_SECRET]',
      '/site/deploy.yaml:3:67 outputs.mqtt.username: ${lobby.avg} is not an environment variable reference (NAME or NAME:-default); write $${...} for a literal ${ [SPATIA_CONFIG_SECRET]',
    ]);
  });

  it('shows the reference as written, never the value, when the value is wrong', () => {
    const r = text(['version: 1', 'outputs:', '  mqtt: {url: "${BROKER}"}', 'runtime: {initial: "${INITIAL}"}'], {
      BROKER: 'http://user:hunter2@example',
      INITIAL: 'hunter3',
    });
    expect(r.problems).toEqual([
      '/site/deploy.yaml:3:15 outputs.mqtt.url: URL scheme must be mqtt://, mqtts://, ws://, wss://, got "http://" [SPATIA_CONFIG_VALUE]',
      '/site/deploy.yaml:4:20 runtime.initial: expected one of fire, skip, got "${INITIAL}" [SPATIA_CONFIG_VALUE]',
    ]);
    expect(r.problems.join('\n')).not.toMatch(/hunter/);
    const notUrl = text(['version: 1', 'outputs:', '  mqtt: {url: "${BROKER}"}'], { BROKER: 'hunter2' });
    expect(notUrl.problems).toEqual([
      '/site/deploy.yaml:3:15 outputs.mqtt.url: "${BROKER}" is not a URL (expected mqtt://, mqtts://, ws://, wss://) [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('leaves keys, and strings without a reference, alone', () => {
    const r = text(['version: 1', 'conditions:', '  - {id: c, when: "true", actions: [{log: "costs $5 {c}"}]}'], {});
    expect(r.problems).toEqual([]);
    expect(r.model?.conditions[0]?.actions[0]).toMatchObject({ message: 'costs $5 {c}' });
  });
});

describe('a config without secrets', () => {
  it('never reads secrets.yaml or the credentials directory', () => {
    const site = mkdtempSync(join(dir, 'plain-'));
    mkdirSync(join(site, 'secrets.yaml'));
    const file = join(site, 'deploy.yaml');
    writeFileSync(file, 'version: 1\n');
    expect(loadConfigFile(file, { env: { CREDENTIALS_DIRECTORY: '/nonexistent' } }).issues.items).toEqual([]);
  });
});
