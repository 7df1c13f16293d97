import type { JsonValue } from '../../config/model.js';

/** What one POST of an http action sends, built once per action and reused by every attempt. */
export interface HttpRequestParts {
  /** The URL without `user:password@` (fetch refuses URLs carrying credentials). */
  readonly url: string;
  /**
   * How messages name the endpoint: scheme, host and port only, since paths and queries of
   * webhook URLs often are the secret (`hooks.slack.com/services/T0/B0/XXXX`).
   */
  readonly endpoint: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON text, or undefined for no body. */
  readonly body: string | undefined;
}

/**
 * The request of an http action: `payload` (the rendered `body`) as JSON, or no body when it is
 * null; `user:password@` in the URL turned into basic authentication (unless the action sets its
 * own `authorization`); the action's headers last, so they can override the defaults. Header names
 * are lower-case.
 */
export function buildHttpRequest(url: string, payload: JsonValue | undefined, headers: Readonly<Record<string, string>>): HttpRequestParts {
  const u = new URL(url);
  const out: Record<string, string> = { 'user-agent': 'spatia', accept: 'application/json, */*;q=0.5' };
  if (u.username !== '' || u.password !== '') {
    const user = decodeURIComponent(u.username);
    const password = decodeURIComponent(u.password);
    out['authorization'] = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  const body = payload === undefined || payload === null ? undefined : JSON.stringify(payload);
  if (body !== undefined) out['content-type'] = 'application/json';
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return { url: u.href, endpoint: u.origin, headers: out, body };
}
