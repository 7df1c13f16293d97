import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';
import { definitionHashes, hashConfig, stableJson } from '../../../src/persistence/config-hash.js';

const BASE = `version: 1
runtime: {tick_rate: 10 Hz, state_dir: ./state}
zones:
  - {id: lobby, rect: [[0, 0], [10, 8]]}
sensors:
  - {id: t1, kind: mock, unit: degC, quantity: temperature, location: [1, 1], signal: {constant: 20}}
  - {id: t2, kind: mock, unit: degC, quantity: temperature, location: [2, 2], signal: {constant: 21}}
  - {id: door, kind: mock, type: boolean, signal: {constant: false}}
patterns:
  - {id: env, kind: zone_aggregate, zone: lobby, quantity: temperature}
  - {id: smooth, kind: expr, value: "avg(t1, 1min)"}
conditions:
  - {id: hot, when: "env.avg > 28 degC", for: 30s, actions: [{log: "hot"}]}
  - {id: warm, when: "smooth > 25 degC", actions: [{log: "warm"}]}
  - {id: open, when: "held(door, 20s)", actions: [{log: "open"}]}
`;

function load(text: string): DeploymentModel {
  const { model, issues } = loadConfigText(text, '/etc/spatia/a.yaml');
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return model;
}

describe('config hash', () => {
  it('ignores positions, the file path and state_dir; sees everything else', () => {
    const a = hashConfig(load(BASE));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashConfig(load(`# a comment moves every position\n\n${BASE}`))).toBe(a);
    expect(hashConfig(loadConfigText(BASE, '/elsewhere/b.yaml').model as DeploymentModel)).toBe(a);
    expect(hashConfig(load(BASE.replace('state_dir: ./state', 'state_dir: /var/lib/spatia')))).toBe(a);
    expect(hashConfig(load(BASE.replace('"hot"', '"very hot"')))).not.toBe(a);
    expect(hashConfig(load(BASE.replace('28 degC', '29 degC')))).not.toBe(a);
  });

  it('stable JSON sorts keys at every level', () => {
    expect(stableJson({ b: 1, a: { d: [{ y: 1, x: 2 }], c: undefined } })).toBe('{"a":{"d":[{"x":2,"y":1}]},"b":1}');
  });

  it('per node: a changed condition, and what reads a changed input, change state; actions do not', () => {
    const before = definitionHashes(load(BASE));
    const edited = definitionHashes(load(BASE.replace('"smooth > 25 degC"', '"smooth > 26 degC"').replace('[{log: "open"}]', '[{log: "door open"}]')));
    expect(edited.conditions['warm']?.state).not.toBe(before.conditions['warm']?.state);
    expect(edited.conditions['hot']).toEqual(before.conditions['hot']);
    expect(edited.conditions['open']?.definition).not.toBe(before.conditions['open']?.definition);
    expect(edited.conditions['open']?.state).toBe(before.conditions['open']?.state);

    const filtered = definitionHashes(load(BASE.replace('signal: {constant: 20}}', 'signal: {constant: 20}, filters: [{clamp: [0, 50]}]}')));
    expect(filtered.sensors['t1']?.state).not.toBe(before.sensors['t1']?.state);
    expect(filtered.patterns['smooth']?.state).not.toBe(before.patterns['smooth']?.state);
    expect(filtered.patterns['env']?.state).not.toBe(before.patterns['env']?.state);
    expect(filtered.conditions['warm']?.state).not.toBe(before.conditions['warm']?.state);
    expect(filtered.conditions['hot']?.state).not.toBe(before.conditions['hot']?.state);
    expect(filtered.conditions['open']?.state).toBe(before.conditions['open']?.state);
  });

  it('a zone aggregate depends on its zone; a new tick rate changes every state hash', () => {
    const before = definitionHashes(load(BASE));
    const moved = definitionHashes(load(BASE.replace('rect: [[0, 0], [10, 8]]', 'rect: [[0, 0], [12, 8]]')));
    expect(moved.patterns['env']?.state).not.toBe(before.patterns['env']?.state);
    expect(moved.conditions['open']?.state).toBe(before.conditions['open']?.state);
    const faster = definitionHashes(load(BASE.replace('tick_rate: 10 Hz', 'tick_rate: 20 Hz')));
    for (const id of ['hot', 'warm', 'open']) expect(faster.conditions[id]?.state).not.toBe(before.conditions[id]?.state);
  });
});
