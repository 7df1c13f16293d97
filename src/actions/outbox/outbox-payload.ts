import type { JsonValue } from '../../config/model.js';

/**
 * The bytes an mqtt action publishes: its rendered payload as JSON with the node's `event_id`.
 * - an object payload gets the field `event_id` (first, replacing one the payload may carry);
 * - any other payload (number, string, boolean, null, array) is wrapped as `{event_id, value}`;
 * - an action without a payload publishes `{event_id}`.
 */
export function payloadWithEventId(payload: JsonValue | undefined, eventId: string): Buffer {
  if (payload === undefined) return Buffer.from(JSON.stringify({ event_id: eventId }));
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const out: { [key: string]: JsonValue } = { event_id: eventId, ...payload };
    // A payload's own event_id took the first place; ours takes its value.
    out['event_id'] = eventId;
    return Buffer.from(JSON.stringify(out));
  }
  return Buffer.from(JSON.stringify({ event_id: eventId, value: payload }));
}

/**
 * Why `topic` cannot be published to, or undefined when it can. Checked before a record enters
 * the outbox: a topic the broker refuses would otherwise block every record behind it.
 */
export function topicNameProblem(topic: string): string | undefined {
  if (topic === '') return 'the topic is empty';
  if (topic.includes('+') || topic.includes('#')) return `topic ${JSON.stringify(topic)} contains a wildcard (+ or #), which only subscriptions may use`;
  if (topic.includes('\u0000')) return 'the topic contains a NUL character';
  if (Buffer.byteLength(topic) > 65_535) return 'the topic is longer than 65,535 bytes';
  return undefined;
}
