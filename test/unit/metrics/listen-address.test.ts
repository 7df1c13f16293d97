import { describe, expect, it } from 'vitest';
import { SpatiaError } from '../../../src/core/errors.js';
import { formatListen, parseListen } from '../../../src/metrics/listen-address.js';

describe('parseListen', () => {
  it.each([
    ['9464', { host: '127.0.0.1', port: 9464 }],
    ['0', { host: '127.0.0.1', port: 0 }],
    ['127.0.0.1:9464', { host: '127.0.0.1', port: 9464 }],
    ['0.0.0.0:9464', { host: '0.0.0.0', port: 9464 }],
    ['localhost:65535', { host: 'localhost', port: 65535 }],
    ['pi-4.local:80', { host: 'pi-4.local', port: 80 }],
    ['[::1]:9464', { host: '::1', port: 9464 }],
    ['[::]:9464', { host: '::', port: 9464 }],
    ['[fe80::1%eth0]:9464', { host: 'fe80::1%eth0', port: 9464 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  it.each([
    ['', /expected PORT, HOST:PORT/],
    ['metrics', /expected PORT, HOST:PORT/],
    ['65536', /0 to 65535/],
    ['127.0.0.1:', /0 to 65535/],
    ['127.0.0.1:-1', /0 to 65535/],
    ['127.0.0.1:94x', /0 to 65535/],
    [':9464', /no host before the colon: write 127\.0\.0\.1:9464 for loopback, or 0\.0\.0\.0:9464/],
    ['::1:9464', /IPv6 address in brackets/],
    ['[]:9464', /brackets are empty/],
    ['[127.0.0.1]:9464', /127\.0\.0\.1 is not an IPv6 address/],
    ['[::1]', /written \[IPV6\]:PORT/],
    ['::1', /IPv6 address in brackets/],
    ['bad_host:9464', /bad_host is neither an IPv4 address nor a host name/],
    ['http://x:9464', /neither an IPv4 address nor a host name/],
  ])('refuses %j', (text, message) => {
    let caught: unknown;
    try {
      parseListen(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SpatiaError);
    expect((caught as SpatiaError).code).toBe('SPATIA_USAGE');
    expect((caught as SpatiaError).message).toContain(`"${text}" is not a listen address`);
    expect((caught as SpatiaError).message).toMatch(message);
  });

  it('writes addresses back with IPv6 in brackets', () => {
    expect(formatListen({ host: '::1', port: 9464 })).toBe('[::1]:9464');
    expect(formatListen({ host: '127.0.0.1', port: 9464 })).toBe('127.0.0.1:9464');
  });
});
