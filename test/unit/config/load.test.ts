import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import { FIXTURES, loadFixture } from './fixtures.js';

const load = loadFixture;

describe('the SPEC §2 example', () => {
  const file = join(FIXTURES, 'spec-example.yaml');
  const m = load('spec-example.yaml');

  it('reads runtime with durations in microseconds and state_dir resolved', () => {
    expect(m.version).toBe(1);
    expect(m.file).toBe(file);
    expect(m.runtime).toEqual({
      tickUs: 100_000,
      stateDir: join(FIXTURES, 'state'),
      checkpointEveryUs: 30_000_000,
      initial: 'fire',
      resumeMaxGapUs: 300_000_000,
      journalSyncEveryUs: 1_000_000,
      journalKeepUs: 3_600_000_000,
      logLevel: 'info',
      mode: 'auto',
      board: undefined,
    });
  });

  it('stores a rect as four corners and keeps a polygon as written', () => {
    const [lobby, kitchen] = m.zones;
    expect(lobby).toMatchObject({ id: 'lobby', shape: 'rect', polygon: [[0, 0], [10, 0], [10, 8], [0, 8]], height: undefined });
    expect(lobby?.pos).toEqual({ file, line: 9, col: 5, path: 'zones[0]' });
    expect(kitchen).toMatchObject({
      id: 'kitchen',
      shape: 'polygon',
      polygon: [[10, 0], [16, 0], [16, 8], [10, 8]],
      height: [0, 3],
      parent: undefined,
    });
  });

  it('reads the i2c sensor, its filters and its sim signal', () => {
    const [s] = m.sensors;
    expect(s).toMatchObject({
      id: 'lobby_temp',
      kind: 'i2c',
      valueType: 'number',
      quantity: 'temperature',
      unit: 'degC',
      location: [2.5, 3.0, 1.2],
      sampleEveryUs: 1_000_000,
      timeoutUs: 200_000,
      staleAfterUs: 5_000_000,
      hardware: { bus: 1, address: 0x76, device: 'bme280', field: 'temperature' },
    });
    expect(s?.filters).toEqual([
      { kind: 'moving_average', windowUs: 10_000_000, samples: undefined },
      { kind: 'clamp', min: -40, max: 85 },
    ]);
    expect(s?.sim?.signal).toEqual({ kind: 'sine', mean: 22, amplitude: 3, periodUs: 600_000_000, phaseUs: 0 });
    expect(s?.sim?.faults).toEqual([]);
    expect(s?.sim?.pos).toEqual({ file, line: 28, col: 10, path: 'sensors[0].sim' });
  });

  it('keeps the zone_aggregate keys as params', () => {
    expect(m.patterns).toEqual([
      {
        id: 'lobby_env',
        kind: 'zone_aggregate',
        mode: undefined,
        unit: undefined,
        expr: undefined,
        filters: [],
        params: { zone: 'lobby', quantity: 'temperature' },
        pos: { file, line: 30, col: 5, path: 'patterns[0]' },
      },
    ]);
  });

  it('reads the condition, its expression position and every action', () => {
    const [c] = m.conditions;
    expect(c?.when).toEqual({ text: 'lobby_env.avg > 28 degC', pos: { file, line: 36, col: 11, path: 'conditions[0].when' } });
    expect(c?.forUs).toBe(30_000_000);
    expect(c?.actionMode).toBe('queued');
    expect(c?.mode).toBeUndefined();
    const at = (line: number, i: number, list = 'actions') => ({ file, line, col: 9, path: `conditions[0].${list}[${i}]` });
    expect(c?.actions).toEqual([
      { kind: 'log', message: 'lobby is {lobby_env.avg}', level: 'info', pos: at(39, 0) },
      { kind: 'mqtt', topic: 'alerts/lobby', payload: { temp: '{lobby_env.avg}' }, qos: 1, retain: false, pos: at(40, 1) },
      { kind: 'gpio', pin: 27, value: 1, chip: undefined, safe: 0, pos: at(41, 2) },
      {
        kind: 'callback',
        module: join(FIXTURES, 'callbacks', 'alert.mjs'),
        exportName: 'onHot',
        timeoutUs: 2_000_000,
        pos: at(42, 3),
      },
    ]);
    expect(c?.onFalling).toEqual([{ kind: 'gpio', pin: 27, value: 0, chip: undefined, safe: 0, pos: at(44, 0, 'on_falling') }]);
  });

  it('reads outputs.mqtt with the outbox size in bytes', () => {
    expect(m.outputs.mqtt).toEqual({
      url: 'mqtt://127.0.0.1:1883',
      clientId: 'lobby-pi',
      outboxMaxBytes: 64 * 1024 * 1024,
      username: undefined,
      password: undefined,
      protocolVersion: 5,
      ca: undefined,
      cert: undefined,
      key: undefined,
    });
  });
});

describe('defaults and small forms', () => {
  const minimal = (body: string) => loadConfigText(`version: 1\n${body}`, '/site/deploy.yaml');

  it('gives every runtime default for a file with only a version', () => {
    const r = minimal('');
    expect(r.model?.runtime).toEqual({
      tickUs: 100_000,
      stateDir: undefined,
      checkpointEveryUs: 30_000_000,
      initial: 'fire',
      resumeMaxGapUs: 300_000_000,
      journalSyncEveryUs: 1_000_000,
      journalKeepUs: 3_600_000_000,
      logLevel: 'info',
      mode: 'auto',
      board: undefined,
    });
    expect(r.model).toMatchObject({ zones: [], sensors: [], patterns: [], conditions: [], outputs: { mqtt: undefined } });
  });

  it.each([
    ['10 Hz', 100_000],
    ['2.5 Hz', 400_000],
    ['20', 50_000],
  ])('reads tick_rate %j', (rate, us) => {
    expect(minimal(`runtime: {tick_rate: ${rate}}`).model?.runtime.tickUs).toBe(us);
  });

  it('resolves a relative state_dir against the config file directory', () => {
    expect(minimal('runtime: {state_dir: ./state}').model?.runtime.stateDir).toBe('/site/state');
  });

  it('points expressions at their first character, inside quotes and block scalars', () => {
    const r = minimal(
      [
        'conditions:',
        '  - {id: a, when: a > 1}',
        "  - {id: b, when: 'a > 1'}",
        '  - {id: c, when: "a > 1"}',
        '  - id: d',
        '    when: |',
        '',
        '      held(a > 1,',
        '        3s)',
        '  - {id: e, when: true}',
        '  - {id: f, when: 1e3}',
      ].join('\n'),
    );
    const whens = r.model?.conditions.map((c) => [c.when.text, c.when.pos.line, c.when.pos.col]);
    expect(whens).toEqual([
      ['a > 1', 3, 19],
      ['a > 1', 4, 20],
      ['a > 1', 5, 20],
      ['held(a > 1,\n  3s)', 9, 7],
      ['true', 11, 19],
      ['1e3', 12, 19],
    ]);
  });

  it('follows aliases, merge keys, and ignores x- keys at the top level', () => {
    const r = minimal(
      [
        'x-common: &common {kind: mock, signal: {constant: 1}}',
        'x-filters: &f [{delta: 1}]',
        'sensors:',
        '  - <<: *common',
        '    id: a',
        '    filters: *f',
        '  - <<: *common',
        '    id: b',
        '    signal: {constant: 2}',
      ].join('\n'),
    );
    expect(r.issues.items).toEqual([]);
    expect(r.model?.sensors.map((s) => [s.id, s.filters.length, s.sim?.signal])).toEqual([
      ['a', 1, { kind: 'constant', value: 1 }],
      ['b', 0, { kind: 'constant', value: 2 }],
    ]);
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports an unreadable file', () => {
    const path = join(dir, 'missing.yaml');
    const r = loadConfigFile(path);
    expect(r.model).toBeUndefined();
    expect(r.issues.items.map(formatIssue)).toEqual([
      `${path}:1:1 (file): cannot read the file: ENOENT: no such file or directory, open '${path}' [SPATIA_CONFIG_FILE]`,
    ]);
  });

  it('reads a file from disk', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(path, 'version: 1\n');
    expect(loadConfigFile(path).model?.file).toBe(path);
  });
});
