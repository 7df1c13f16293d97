/** Column alignment: names left, figures right. */
export type Align = 'l' | 'r';

/**
 * Lines of a table whose columns are padded to their widest cell (two spaces between columns),
 * each line prefixed with `indent`; trailing spaces trimmed.
 */
export function table(rows: ReadonlyArray<readonly string[]>, align: readonly Align[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows.map((row) => {
    const cells = row.map((cell, i) => {
      const pad = ' '.repeat((widths[i] ?? 0) - [...cell].length);
      return align[i] === 'r' ? pad + cell : cell + pad;
    });
    return (indent + cells.join('  ')).trimEnd();
  });
}

/** A duration given in µs, in the unit a person reads at a glance: 420 ns, 1.23 µs, 12.3 ms, 1.50 s. */
export function formatUs(us: number | null): string {
  if (us === null) return '-';
  if (us < 1) return `${Math.round(us * 1000)} ns`;
  if (us < 1000) return `${us.toPrecision(3)} µs`;
  if (us < 1e6) return `${(us / 1000).toPrecision(3)} ms`;
  return `${(us / 1e6).toPrecision(3)} s`;
}

/** A byte count: 512 B, 12.5 KiB, 45.6 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** A count with thousands separators: 864,000. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A run length in seconds: 45.0 s, 10.00 min, 2.50 h. */
export function formatSpan(s: number): string {
  if (s >= 3600) return `${(s / 3600).toFixed(2)} h`;
  if (s >= 60) return `${(s / 60).toFixed(2)} min`;
  return `${s.toFixed(s < 10 ? 3 : 1)} s`;
}

/** A percentage with the precision small figures need: 42.1 %, 0.42 %, 0.0042 %. */
export function formatPct(pct: number): string {
  if (pct === 0) return '0 %';
  if (pct >= 10) return `${pct.toFixed(1)} %`;
  if (pct >= 0.01) return `${pct.toFixed(2)} %`;
  return `${pct.toPrecision(2)} %`;
}
