import { isIPv4, isIPv6 } from 'node:net';
import { SpatiaError } from '../core/errors.js';

/** Where the metrics server listens. */
export interface ListenAddress {
  /** An IPv4 address, an IPv6 address (without brackets) or a host name. */
  readonly host: string;
  /** 0 asks the system for a free port. */
  readonly port: number;
}

/**
 * Metrics expose the node's state, so they stay on this machine unless the operator names an
 * interface (`0.0.0.0:9464`, `[::]:9464`, `10.0.0.5:9464`).
 */
export const DEFAULT_METRICS_HOST = '127.0.0.1';

const PORT = /^[0-9]{1,5}$/;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

const USAGE = 'expected PORT, HOST:PORT or [IPV6]:PORT';

function bad(text: string, why: string): SpatiaError {
  return new SpatiaError('SPATIA_USAGE', `"${text}" is not a listen address: ${why}`);
}

function portOf(text: string, digits: string): number {
  const port = PORT.test(digits) ? Number(digits) : NaN;
  if (!(port >= 0 && port <= 65535)) throw bad(text, `the port must be a number from 0 to 65535 (${USAGE})`);
  return port;
}

/**
 * Reads `PORT`, `HOST:PORT` or `[IPV6]:PORT` (`9464`, `0.0.0.0:9464`, `[::1]:9464`). A bare
 * port listens on loopback. Throws a SpatiaError (SPATIA_USAGE) saying what is wrong.
 */
export function parseListen(text: string): ListenAddress {
  if (PORT.test(text)) return { host: DEFAULT_METRICS_HOST, port: portOf(text, text) };
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(text);
  if (bracketed !== null) {
    const host = bracketed[1] ?? '';
    if (!isIPv6(host)) throw bad(text, `${host === '' ? 'the brackets are empty' : `${host} is not an IPv6 address`} (${USAGE})`);
    return { host, port: portOf(text, bracketed[2] ?? '') };
  }
  if (text.startsWith('[')) throw bad(text, 'an IPv6 address is written [IPV6]:PORT, as in [::1]:9464');
  const colon = text.lastIndexOf(':');
  if (colon < 0) throw bad(text, USAGE);
  const host = text.slice(0, colon);
  if (host === '') throw bad(text, `no host before the colon: write ${DEFAULT_METRICS_HOST}${text} for loopback, or 0.0.0.0${text} for every interface`);
  if (isIPv6(host) || isIPv6(text)) throw bad(text, 'write an IPv6 address in brackets, as in [::1]:9464');
  if (!isIPv4(host) && !HOST_NAME.test(host)) throw bad(text, `${host} is neither an IPv4 address nor a host name (${USAGE})`);
  return { host, port: portOf(text, text.slice(colon + 1)) };
}

/** `127.0.0.1:9464`, `[::1]:9464`: how an address is written back to a person. */
export function formatListen(a: ListenAddress): string {
  return a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;
}
