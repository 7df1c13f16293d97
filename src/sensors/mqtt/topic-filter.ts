/**
 * MQTT topic filters (MQTT 3.1.1 §4.7, MQTT 5 §4.7): `+` matches exactly one level (possibly
 * empty), `#` matches the parent level and everything below it, and a filter that starts with a
 * wildcard does not match topics starting with `$` (`$SYS/...`). Matching runs for every message
 * on every wildcard subscription, so it walks both strings in place without splitting them.
 */

const SLASH = 47;
const PLUS = 43;
const HASH = 35;
const DOLLAR = 36;

/** True when `topic` (a topic name, no wildcards) matches `filter` (a valid topic filter). */
export function topicMatches(filter: string, topic: string): boolean {
  const fl = filter.length;
  const tl = topic.length;
  const first = filter.charCodeAt(0);
  if (topic.charCodeAt(0) === DOLLAR && (first === PLUS || first === HASH)) return false;
  let f = 0;
  let t = 0;
  while (f < fl) {
    const c = filter.charCodeAt(f);
    if (c === HASH) return true;
    if (c === PLUS) {
      while (t < tl && topic.charCodeAt(t) !== SLASH) t++;
      f++;
    } else {
      while (f < fl && filter.charCodeAt(f) !== SLASH) {
        if (t >= tl || topic.charCodeAt(t) !== filter.charCodeAt(f)) return false;
        f++;
        t++;
      }
      if (t < tl && topic.charCodeAt(t) !== SLASH) return false;
    }
    // Both are at the end of a level: the filter's next character is `/` or its end.
    if (f >= fl) return t >= tl;
    // The topic has no more levels: only a trailing `/#` (which matches the parent) is left.
    if (t >= tl) return fl - f === 2 && filter.charCodeAt(f + 1) === HASH;
    f++;
    t++;
  }
  return t >= tl;
}

/** True when the filter has a wildcard, so an exact-topic lookup cannot find its messages. */
export function hasWildcard(filter: string): boolean {
  return filter.includes('+') || filter.includes('#');
}

/** Why `filter` cannot be subscribed to, or undefined when it is a valid topic filter. */
export function topicFilterProblem(filter: string): string | undefined {
  if (filter.length === 0) return 'a topic filter must not be empty';
  if (filter.includes('\u0000')) return 'a topic filter must not contain a NUL character';
  if (Buffer.byteLength(filter, 'utf8') > 65_535) return 'a topic filter must be at most 65535 bytes long';
  if (filter.startsWith('$share/')) return 'shared subscriptions ($share/...) would give each node only some messages';
  const levels = filter.split('/');
  for (const [i, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# must be a whole level and the last one, as in site/#';
    }
    if (level.includes('+') && level !== '+') return '+ must be a whole level, as in site/+/temperature';
  }
  return undefined;
}
