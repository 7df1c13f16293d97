import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { ActionModel } from '../../../src/config/model.js';

function load(...lines: string[]) {
  const r = loadConfigText(`${['version: 1', 'sensors:', '  - {id: s, kind: mock, signal: {constant: 1}}', ...lines].join('\n')}\n`, '/site/deploy.yaml', {
    env: { HOOK_TOKEN: 'Bearer t0k3n' },
  });
  const actions = (r.model?.conditions ?? []).flatMap((c) => [...c.actions, ...c.onFalling]).map(({ pos: _pos, ...a }: ActionModel) => a);
  return { model: r.model, actions, problems: r.issues.sorted().map(formatIssue).map((l) => l.replace('/site/deploy.yaml:', '')) };
}

describe('gpio action safe levels', () => {
  it('defaults safe to 0', () => {
    const r = load('conditions:', '  - {id: a, when: s > 0, actions: [{gpio: {pin: 27, value: 1}}]}');
    expect(r.problems).toEqual([]);
    expect(r.actions).toEqual([{ kind: 'gpio', pin: 27, value: 1, chip: undefined, safe: 0 }]);
  });

  it('a safe level written once applies to every action of the pin, across conditions and edges', () => {
    const r = load(
      'conditions:',
      '  - id: a',
      '    when: s > 0',
      '    actions: [{gpio: {pin: 27, value: 0}}]',
      '    on_falling: [{gpio: {pin: 27, value: 1, safe: true}}]',
      '  - {id: b, when: s > 1, actions: [{gpio: {pin: 27, value: 0, safe: 1}}, {gpio: {pin: 22, value: 1}}]}',
    );
    expect(r.problems).toEqual([]);
    expect(r.actions.map((a) => a.kind === 'gpio' && [a.pin, a.safe])).toEqual([
      [27, 1],
      [27, 1],
      [27, 1],
      [22, 0],
    ]);
  });

  it('two safe levels for one pin are an error at the later one, naming the first', () => {
    const r = load(
      'conditions:',
      '  - id: a',
      '    when: s > 0',
      '    actions: [{gpio: {pin: 27, value: 1, safe: 0}}]',
      '    on_falling: [{gpio: {pin: 27, value: 0}}]',
      '  - {id: b, when: s > 1, actions: [{gpio: {pin: 27, value: 0, safe: 1}}]}',
    );
    expect(r.model).toBeUndefined();
    expect(r.problems).toEqual([
      '9:69 conditions[1].actions[0].gpio.safe: gpio pin 27 has safe: 0 at conditions[0].actions[0].gpio.safe (line 7) and safe: 1 here; ' +
        'a pin has one safe level (driven at start and on shutdown): write the same on every gpio action of the pin, or once [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('pins of different chips are different lines; an invalid safe is reported like value', () => {
    const r = load(
      'conditions:',
      '  - id: a',
      '    when: s > 0',
      '    actions:',
      '      - gpio: {pin: 5, value: 1, safe: 1}',
      '      - gpio: {pin: 5, value: 1, chip: pinctrl-rp1, safe: 0}',
      '      - gpio: {pin: 6, value: 1, safe: 2}',
    );
    expect(r.problems).toEqual(['10:40 conditions[0].actions[2].gpio.safe: expected 0, 1, true or false, got 2 [SPATIA_CONFIG_VALUE]']);
  });

  it('a pin read by a gpio sensor cannot be driven by a gpio action', () => {
    const r = load(
      '  - {id: door, kind: gpio, pin: 17}',
      '  - {id: bell, kind: gpio, pin: 18, chip: pinctrl-rp1}',
      'conditions:',
      '  - id: a',
      '    when: door',
      '    actions: [{gpio: {pin: 17, value: 1}}, {gpio: {pin: 18, value: 1}}]',
    );
    expect(r.problems).toEqual([
      '9:28 conditions[0].actions[0].gpio.pin: gpio pin 17 is read by the gpio sensor "door" (sensors[1], line 4); ' +
        'a line is an input or an output, not both: drive another pin [SPATIA_CONFIG_VALUE]',
    ]);
  });

  it('a shared YAML anchor is one declaration, not a conflict', () => {
    const r = load(
      'x-relay: &relay {pin: 4, value: 1, safe: 1}',
      'conditions:',
      '  - {id: a, when: s > 0, actions: [{gpio: *relay}], on_falling: [{gpio: {pin: 4, value: 0}}]}',
      '  - {id: b, when: s > 1, actions: [{gpio: *relay}]}',
    );
    expect(r.problems).toEqual([]);
    expect(r.actions.map((a) => a.kind === 'gpio' && a.safe)).toEqual([1, 1, 1]);
  });
});

describe('http action', () => {
  it('reads url, body, headers, timeout and retries with their defaults', () => {
    const r = load(
      'conditions:',
      '  - id: a',
      '    when: s > 0',
      '    actions:',
      '      - http: {url: "https://hooks.example/a"}',
      '      - http:',
      '          url: "http://127.0.0.1:8080/hook"',
      '          body: {value: "{s}", fixed: 2}',
      '          headers: {Authorization: "${HOOK_TOKEN}", X-Site: 42}',
      '          timeout: 1500ms',
      '          retries: 0',
    );
    expect(r.problems).toEqual([]);
    expect(r.actions).toEqual([
      { kind: 'http', url: 'https://hooks.example/a', body: null, headers: {}, timeoutUs: 5_000_000, retries: 3 },
      {
        kind: 'http',
        url: 'http://127.0.0.1:8080/hook',
        body: { value: '{s}', fixed: 2 },
        headers: { authorization: 'Bearer t0k3n', 'x-site': '42' },
        timeoutUs: 1_500_000,
        retries: 0,
      },
    ]);
  });

  it('refuses bad header names, multi-line values and negative retries, at the value', () => {
    const r = load(
      'conditions:',
      '  - id: a',
      '    when: s > 0',
      '    actions:',
      '      - http: {url: "https://h.example", headers: {"bad name": x, ok: "a\\nb"}, retries: -1}',
    );
    expect(r.problems).toEqual([
      '8:52 conditions[0].actions[0].http.headers.bad name: "bad name" is not a valid HTTP header name [SPATIA_CONFIG_VALUE]',
      '8:71 conditions[0].actions[0].http.headers.ok: the value of header ok must be one line [SPATIA_CONFIG_VALUE]',
      '8:89 conditions[0].actions[0].http.retries: must be at least 0, got -1 [SPATIA_CONFIG_VALUE]',
    ]);
  });
});
