import { describe, expect, it } from 'vitest';
import { MAX_COMMANDS, readCommands } from '../../../../src/actions/callbacks/callback-commands.js';
import { callbackLabel, replyOutcome } from '../../../../src/actions/callbacks/callback-outcomes.js';
import type { JsonValue } from '../../../../src/config/model.js';

const errorOf = (v: JsonValue): string => {
  const r = readCommands(v);
  if (!('error' in r)) throw new Error(`expected an error for ${JSON.stringify(v)}`);
  return r.error;
};

describe('readCommands: what a callback may return', () => {
  it('accepts null, an array of commands, or {commands: [...]}', () => {
    expect(readCommands(null)).toEqual({ commands: [] });
    expect(readCommands([])).toEqual({ commands: [] });
    const commands = [
      { publish: { topic: 'a/b', payload: { x: [1, 'two', null] }, qos: 2, retain: true } },
      { publish: { topic: 'a/c', payload: 'text' } },
      { gpio: { pin: 27, value: 1, chip: 'pinctrl-rp1' } },
      { log: { message: 'hi', level: 'error' } },
      { log: { message: '' } },
    ];
    expect(readCommands(commands)).toEqual({ commands });
    expect(readCommands({ commands })).toEqual({ commands });
  });

  it('reads gpio values true/false as 1/0, as the config does', () => {
    expect(readCommands([{ gpio: { pin: 4, value: true } }, { gpio: { pin: 5, value: false } }])).toEqual({
      commands: [{ gpio: { pin: 4, value: 1 } }, { gpio: { pin: 5, value: 0 } }],
    });
  });

  it.each<[JsonValue, string]>([
    ['hello', 'returned a string ("hello"); expected nothing, an array of commands or {commands: [...]}'],
    [42, 'returned a number (42); expected'],
    [{ log: { message: 'x' } }, 'returned an object with keys log; expected'],
    [{ commands: [], extra: 1 }, 'returned an object with keys commands, extra; expected'],
    [{ commands: 'x' }, 'commands must be an array'],
    [[{ publsh: { topic: 'a', payload: 1 } }], 'command 0: unknown command "publsh" (expected publish, gpio or log)'],
    [[{ log: { message: 'a' }, gpio: { pin: 1, value: 1 } }], 'command 0: expected an object with one key'],
    [['log'], 'command 0: expected an object with one key, publish, gpio or log; got a string ("log")'],
    [[{ log: 'text' }], 'command 0: log must be an object, got a string ("text")'],
    [[{ publish: { topic: '', payload: 1 } }], 'publish.topic must be a non-empty topic without wildcards'],
    [[{ publish: { topic: 'a/#', payload: 1 } }], 'publish.topic must be a non-empty topic without wildcards'],
    [[{ publish: { topic: 'a' } }], 'publish.payload is missing'],
    [[{ publish: { topic: 'a', payload: 1, qos: '1' } }], 'publish.qos must be 0, 1 or 2, got a string ("1")'],
    [[{ publish: { topic: 'a', payload: 1, retain: 1 } }], 'publish.retain must be true or false'],
    [[{ publish: { topic: 'a', payload: 1, qso: 1 } }], 'publish has an unknown key "qso"'],
    [[{ gpio: { pin: 1.5, value: 1 } }], 'gpio.pin must be a line number from 0 to 1023, got a number (1.5)'],
    [[{ gpio: { pin: 2000, value: 1 } }], 'gpio.pin must be a line number'],
    [[{ gpio: { pin: 3, value: 2 } }], 'gpio.value must be 0, 1, true or false, got a number (2)'],
    [[{ gpio: { pin: 3, value: 1, chip: '' } }], 'gpio.chip must be a chip label or path'],
    [[{ log: { message: 3 } }], 'log.message must be a string, got a number (3)'],
    [[{ log: { message: 'x', level: 'debug' } }], 'log.level must be info, warn or error'],
    [[{ log: { message: 'ok' } }, { log: {} }], 'command 1: log.message must be a string, got null'],
  ])('refuses %j: %s', (value, message) => {
    expect(errorOf(value)).toContain(message);
  });

  it(`refuses more than ${MAX_COMMANDS} commands`, () => {
    const many = Array.from({ length: MAX_COMMANDS + 1 }, () => ({ log: { message: 'x' } }));
    expect(errorOf(many)).toBe(`returned ${MAX_COMMANDS + 1} commands, more than the ${MAX_COMMANDS} allowed`);
  });
});

describe('replyOutcome: a reply from a worker is trusted in nothing', () => {
  const label = callbackLabel('/srv/cb.mjs', 'onHot');

  it.each<Record<string, unknown>>([{ ok: true, json: 42 }, { ok: true, json: '{not json' }, { ok: 'yes' }, { ok: false, kind: 'exploded', message: 'x' }, {}])(
    'a malformed reply %j is garbage',
    (reply) => {
      expect(replyOutcome(label, reply)).toMatchObject({ status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'garbage' });
    },
  );

  it('clips what a worker says about an error', () => {
    const o = replyOutcome(label, { ok: false, kind: 'threw', name: 'Error', message: 'x'.repeat(10_000), stack: 's'.repeat(10_000) });
    expect(o.status).toBe('failed');
    if (o.status !== 'ok') {
      expect(o.error.length).toBeLessThan(2_200);
      expect(String(o.detail?.['stack']).length).toBeLessThan(4_100);
    }
  });
});
