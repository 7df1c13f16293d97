import type { ErrorCode } from '../../core/errors.js';
import type { BrokerFailure } from './broker-client.js';

/** How a failed or broken connection is reported. */
export interface FailureReport {
  /** The transport event status: `error` for refusals that retrying alone will not fix. */
  readonly status: 'disconnected' | 'error';
  readonly code: ErrorCode;
  /** What happened, without any secret: no URL credentials, no password. */
  readonly reason: string;
}

/** CONNACK codes that say the broker refused who we are (3.1.1: 2, 4, 5; MQTT 5: 0x85-0x8C). */
const REFUSED_IDENTITY = new Set([2, 4, 5, 133, 134, 135, 138, 140]);
/** Node's TLS failures: an untrusted, expired or mismatched certificate, or a handshake alert. */
const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET|ALTNAME|HOSTNAME/;

/** Sorts a failure into connect problems (SPATIA_MQTT_CONNECT) and refusals (SPATIA_MQTT_AUTH). */
export function classifyFailure(f: BrokerFailure): FailureReport {
  if (typeof f.code === 'number' && REFUSED_IDENTITY.has(f.code)) {
    return { status: 'error', code: 'SPATIA_MQTT_AUTH', reason: `the broker refused the client (${f.message}); check username, password and client_id` };
  }
  if (typeof f.code === 'string' && TLS_CODE.test(f.code)) {
    return { status: 'error', code: 'SPATIA_MQTT_AUTH', reason: `TLS handshake failed (${f.code}: ${f.message}); check ca, cert and key` };
  }
  return { status: 'disconnected', code: 'SPATIA_MQTT_CONNECT', reason: f.message };
}
