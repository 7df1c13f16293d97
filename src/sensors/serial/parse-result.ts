/**
 * What a line parser makes of one line: a reading, garbage (with the reason, for the fault
 * message), or `skip` for a line that is fine but carries nothing for this sensor (an NMEA `GSV`
 * sentence when the sensor wants `altitude`).
 */
export type ParseResult =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'garbage'; readonly reason: string }
  | { readonly kind: 'skip' };

/** Turns one line (already split, not trimmed) into a {@link ParseResult}; pure, never throws. */
export type LineParser = (line: string) => ParseResult;

export const SKIP: ParseResult = { kind: 'skip' };

export function value(v: unknown): ParseResult {
  return { kind: 'value', value: v };
}

export function garbage(reason: string): ParseResult {
  return { kind: 'garbage', reason };
}

/** A line for a message: JSON-quoted (control characters visible) and cut to `maxChars`. */
export function quoteLine(line: string, maxChars = 80): string {
  const chars = [...line];
  const cut = chars.length > maxChars ? `${chars.slice(0, maxChars).join('')}…` : line;
  return JSON.stringify(cut);
}
