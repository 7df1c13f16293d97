import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMosquitto, Mosquitto } from '../../helpers/mosquitto.js';

/** mqtt actions of `spatia run` through the durable outbox, to a real mosquitto. */
describe.skipIf(!hasMosquitto())('spatia run: mqtt actions', () => {
  let dir = '';
  let broker: Mosquitto;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spatia-live-outbox-'));
    broker = await Mosquitto.start();
  });
  afterAll(async () => {
    await broker?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes each edge with an event_id, after the retained online status; offline when it stops', async () => {
    const config = join(dir, 'outbox.yaml');
    writeFileSync(
      config,
      `version: 1
runtime: {tick_rate: 20 Hz, state_dir: ${join(dir, 'state')}}
outputs:
  mqtt: {url: "${broker.url()}", client_id: test-node}
sensors:
  - {id: beat, kind: mock, signal: {square: {low: 0, high: 1, period: 1s, duty: 0.5}}}
conditions:
  - id: up
    when: beat > 0.5
    actions: [{mqtt: {topic: "alerts/up", payload: {beat: "{beat}"}, qos: 1}}]
`,
    );
    const sub = await connectAsync(broker.url());
    const got: Array<[string, string]> = [];
    sub.on('message', (topic, payload) => got.push([topic, payload.toString()]));
    await sub.subscribeAsync(['alerts/#', 'spatia/test-node/status']);
    const child = spawn(process.execPath, ['bin/spatia.js', 'run', config, '--duration', '2.5s'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    await sub.endAsync();

    const alerts = got.filter(([t]) => t === 'alerts/up').map(([, p]) => JSON.parse(p) as Record<string, unknown>);
    expect(alerts).toEqual([
      { event_id: expect.stringMatching(/^test-node-\d+$/), beat: 1 },
      { event_id: expect.stringMatching(/^test-node-\d+$/), beat: 1 },
      { event_id: expect.stringMatching(/^test-node-\d+$/), beat: 1 },
    ]);
    expect(new Set(alerts.map((a) => a['event_id'])).size).toBe(3);
    const status = got.filter(([t]) => t === 'spatia/test-node/status').map(([, p]) => p);
    expect(status[0]).toBe('online');
    expect(status.at(-1)).toBe('offline');
    const records = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const actions = records.filter((r) => r['type'] === 'action');
    expect(actions.map((a) => [a['status'], a['queued']])).toEqual([
      ['ok', true],
      ['ok', true],
      ['ok', true],
    ]);
  });
});
