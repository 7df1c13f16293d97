import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import { buildEngine } from '../../../src/core/build-graph.js';

/** Every problem of a deployment, as `spatia validate` prints it. */
function problems(yaml: string): string[] {
  const { model, issues } = loadConfigText(yaml, 'site.yaml');
  if (model !== undefined) issues.items.push(...buildEngine(model).issues.items);
  return issues.sorted().map(formatIssue);
}

const head = `version: 1
sensors:
  - {id: temp, kind: mock, unit: degC, signal: {constant: 20}}
  - {id: door, kind: mock, type: boolean, signal: {constant: false}}
  - {id: co2, kind: mock, unit: ppm, signal: {constant: 500}}
`;

describe('compile-time errors carry file:line:col of the offending character', () => {
  it('unknown id with a suggestion, at the identifier', () => {
    expect(problems(`${head}conditions:\n  - id: hot\n    when: tmp > 28 degC\n`)).toEqual([
      'site.yaml:8:11 conditions[0].when: unknown id "tmp"; did you mean "temp"? [SPATIA_CONFIG_REFERENCE]',
    ]);
  });

  it('syntax error at the unexpected token, also inside a quoted expression', () => {
    expect(problems(`${head}conditions:\n  - id: hot\n    when: "temp > > 28"\n`)).toEqual([
      'site.yaml:8:19 conditions[0].when: unexpected ">" [SPATIA_CONFIG_EXPR_SYNTAX]',
    ]);
  });

  it('mixing dimensions is a unit error at the operator', () => {
    expect(problems(`${head}conditions:\n  - id: odd\n    when: temp > 400 ppm\n`)).toEqual([
      'site.yaml:8:16 conditions[0].when: cannot compare degC (absolute temperature) and ppm (ppm) [SPATIA_CONFIG_UNIT]',
    ]);
  });

  it('m is metres, so it is not a duration', () => {
    expect(problems(`${head}conditions:\n  - id: long\n    when: held(door, 5 m)\n`)).toEqual([
      'site.yaml:8:22 conditions[0].when: argument 2 of held() must be a duration such as 30s or 5min (m is metres) [SPATIA_CONFIG_EXPR_TYPE]',
    ]);
  });

  it('a number where a condition belongs', () => {
    expect(problems(`${head}conditions:\n  - id: num\n    when: temp + 1\n`)).toEqual([
      'site.yaml:8:11 conditions[0].when: when: must be a condition (true/false), but this is a number [SPATIA_CONFIG_EXPR_TYPE]',
    ]);
  });

  it('and over a number', () => {
    expect(problems(`${head}conditions:\n  - id: bad\n    when: door and co2\n`)).toEqual([
      'site.yaml:8:20 conditions[0].when: the right side of and must be a condition (true/false), not a number [SPATIA_CONFIG_EXPR_TYPE]',
    ]);
  });

  it('a cycle names its path', () => {
    const yaml = `${head}patterns:\n  - {id: a, kind: expr, value: b + 1}\n  - {id: b, kind: expr, value: a * 2}\n`;
    expect(problems(yaml)).toEqual(['site.yaml:7:5 patterns[0]: cycle: a -> b -> a [SPATIA_CONFIG_CYCLE]']);
  });

  it('spatial functions check their zone argument', () => {
    expect(problems(`${head}zones:\n  - {id: lobby, rect: [[0, 0], [1, 1]]}\nconditions:\n  - id: busy\n    when: count_in(temp) > 3\n`)).toEqual([
      'site.yaml:10:20 conditions[0].when: count_in() needs a zone id as argument 1 [SPATIA_CONFIG_REFERENCE]',
    ]);
  });

  it('template errors point into the template', () => {
    const yaml = `${head}conditions:\n  - id: hot\n    when: temp > 28\n    actions:\n      - log: "now {temp2}"\n`;
    const out = problems(yaml);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^site\.yaml:10:\d+ conditions\[0\]\.actions\[0\]: in a template: unknown id "temp2"; did you mean "temp"\? \[SPATIA_CONFIG_REFERENCE\]$/);
  });

  it('collects syntax and reference problems with the schema ones, in one pass, in line order', () => {
    const yaml = `${head}  - {id: x, kind: mock, sample_every: 5m, signal: {constant: 1}}\nconditions:\n  - {id: a, when: "tmp > 1"}\n  - {id: b, when: "door and"}\n  - {id: c, when: "avg(tempp, 1s) > 1"}\n`;
    const out = problems(yaml);
    expect(out.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'site.yaml:6:39 sensors[3].sample_every:',
      'site.yaml:8:20 conditions[0].when:',
      'site.yaml:9:28 conditions[1].when:',
      'site.yaml:10:24 conditions[2].when:',
    ]);
  });

  it('type and unit problems of several conditions are all reported', () => {
    const yaml = `${head}conditions:\n  - {id: a, when: "temp + 1"}\n  - {id: b, when: "temp > 5 m"}\n  - {id: c, when: "avg(temp) > 1"}\n`;
    expect(problems(yaml).map((l) => l.split(' ')[0])).toEqual(['site.yaml:7:20', 'site.yaml:8:25', 'site.yaml:9:20']);
  });

  it('a valid deployment compiles with no issue', () => {
    expect(problems(`${head}conditions:\n  - {id: ok, when: "temp > 82 degF and not door"}\n`)).toEqual([]);
  });
});

describe('zones and located sensors', () => {
  const zones = `version: 1
zones:
  - {id: lobby, rect: [[0, 0], [10, 8]]}
sensors:
  - {id: t1, kind: mock, quantity: temperature, unit: degC, location: [1, 1], signal: {constant: 20}}
  - {id: t2, kind: mock, quantity: temperature, unit: m, location: [2, 2], signal: {constant: 3}}
  - {id: far, kind: mock, quantity: temperature, unit: degC, location: [50, 50], signal: {constant: 1}}
`;

  it('warns about a located sensor outside every zone (and the file stays valid)', () => {
    const out = problems(`${zones.replace(/.*id: t2.*\n/, '')}conditions:\n  - {id: ok, when: "t1 > 1"}\n`);
    expect(out).toEqual(['site.yaml:6:5 sensors[1]: warning: sensor far at (50, 50) is outside every zone [SPATIA_CONFIG_VALUE]']);
  });

  it('a zone aggregate over sensors of incompatible units is a unit error at the pattern', () => {
    const out = problems(`${zones}patterns:\n  - {id: env, kind: zone_aggregate, zone: lobby, quantity: temperature}\n`);
    expect(out).toContain('site.yaml:9:5 patterns[0]: sensor t2 (m) cannot be converted to degC [SPATIA_CONFIG_UNIT]');
  });

  it('a zone aggregate is read through its fields', () => {
    const yaml = `${zones.replace(/.*id: t2.*\n/, '')}patterns:\n  - {id: env, kind: zone_aggregate, zone: lobby, quantity: temperature}\nconditions:\n  - {id: c, when: "env > 1"}\n  - {id: d, when: "env.median > 1"}\n`;
    const out = problems(yaml).filter((l) => !l.includes('warning'));
    expect(out).toEqual([
      'site.yaml:10:20 conditions[0].when: env has several values: write one of its fields, such as env.avg [SPATIA_CONFIG_REFERENCE]',
      'site.yaml:11:20 conditions[1].when: env has no field "median"; it has avg, min, max, count, stale_count [SPATIA_CONFIG_REFERENCE]',
    ]);
  });

  it('avg_in names a zone and a quantity', () => {
    const yaml = `${zones.replace(/.*id: t2.*\n/, '')}conditions:\n  - {id: c, when: "avg_in(t1, temperature) > 1"}\n`;
    expect(problems(yaml).filter((l) => !l.includes('warning'))).toEqual([
      'site.yaml:8:27 conditions[0].when: unknown zone "t1" [SPATIA_CONFIG_REFERENCE]',
    ]);
  });
});
