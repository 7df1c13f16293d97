import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasWildcard, topicFilterProblem, topicMatches } from '../../../../src/sensors/mqtt/topic-filter.js';

/** The MQTT spec's matching rules, written the obvious way (split into levels), as the reference. */
function reference(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

describe('topicMatches', () => {
  it.each([
    ['a/b', 'a/b', true],
    ['a/b', 'a/bc', false],
    ['a/bc', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['a/+', 'a/b', true],
    ['a/+', 'a/', true],
    ['a/+', 'a/b/c', false],
    ['a/+', 'a', false],
    ['+/+', '/', true],
    ['+', '/finance', false],
    ['/+', '/finance', true],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/#', 'a', true],
    ['a/#', 'a/b/c', true],
    ['a/#', 'ab', false],
    ['#', 'a/b', true],
    ['#', '/', true],
    ['a/', 'a/', true],
    ['a/', 'a', false],
    ['#', '$SYS/broker/load', false],
    ['+/broker/load', '$SYS/broker/load', false],
    ['$SYS/#', '$SYS/broker/load', true],
    ['$SYS/+/load', '$SYS/broker/load', true],
    ['site/+/temperature', 'site/lobby/temperature', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
    expect(reference(filter, topic)).toBe(expected);
  });

  it('agrees with the reference on random filters and topics', () => {
    const level = fc.constantFrom('a', 'b', 'ab', '', '$SYS', 'x');
    const topic = fc.array(level, { minLength: 1, maxLength: 5 }).map((l) => l.join('/'));
    const filterLevels = fc.array(fc.constantFrom('a', 'b', 'ab', '', '+', '$SYS', 'x'), { minLength: 1, maxLength: 5 });
    const filter = fc.tuple(filterLevels, fc.boolean()).map(([l, hash]) => (hash ? [...l, '#'] : l).join('/'));
    fc.assert(fc.property(filter, topic, (f, t) => topicMatches(f, t) === reference(f, t)), { numRuns: 5000 });
  });
});

describe('topicFilterProblem', () => {
  it.each(['a/b', 'a/+/c', 'a/#', '#', '+', '/', '$SYS/#', 'a//b'])('accepts %s', (f) => {
    expect(topicFilterProblem(f)).toBeUndefined();
  });

  it.each([
    ['', 'a topic filter must not be empty'],
    ['a/#/b', '# must be a whole level and the last one, as in site/#'],
    ['a#', '# must be a whole level and the last one, as in site/#'],
    ['a/b+', '+ must be a whole level, as in site/+/temperature'],
    ['a\u0000b', 'a topic filter must not contain a NUL character'],
    ['$share/g/a', 'shared subscriptions ($share/...) would give each node only some messages'],
  ])('refuses %j: %s', (f, problem) => {
    expect(topicFilterProblem(f)).toBe(problem);
  });

  it('tells filters with wildcards from exact topics', () => {
    expect([hasWildcard('a/b'), hasWildcard('a/+'), hasWildcard('#')]).toEqual([false, true, true]);
  });
});
