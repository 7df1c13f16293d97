const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DURATION = /^([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(us|µs|ms|s|min|h|d)$/;
const US_PER_UNIT: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  ms: 1_000,
  s: 1_000_000,
  min: 60_000_000,
  h: 3_600_000_000,
  d: 86_400_000_000,
};

/** True when `text` is a plain decimal number (no hex, no `Infinity`, not empty). */
export function isDecimal(text: string): boolean {
  return NUMBER.test(text);
}

/**
 * A CSV time cell in integer microseconds: a bare number of seconds (`1.5`) or a duration with a
 * unit (`1.5s`, `500ms`, `250us`, `2min`, `1h`, `1d`), rounded to the nearest microsecond.
 * `m` is refused, as in the config, because `m` means metres.
 *
 * @returns the time, or a message saying why the cell is not a time.
 */
export function parseCsvTimeUs(cell: string): number | string {
  const text = cell.trim();
  if (isDecimal(text)) return Math.round(Number(text) * 1_000_000);
  const m = DURATION.exec(text);
  if (m === null) {
    if (/^[+-]?[\d.]+\s*m$/.test(text)) return `'${text}' is not a time: 'm' means metres, write 'min' for minutes`;
    return `'${text}' is not a time (seconds, or a duration such as 1.5s or 500ms)`;
  }
  return Math.round(Number(m[1]) * (US_PER_UNIT[m[2] as string] as number));
}
