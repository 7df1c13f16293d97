/**
 * The suite's one table and one JSON object, from the figures every bench reported. Pure: the
 * runner (bench-all.ts) measures, this only lays out, so it is unit-tested.
 */
import type { Figure, Target } from './bench-figure.js';

/** The figures with each group's rows together, groups in order of first appearance. */
export function byGroup(figures: readonly Figure[]): Figure[] {
  const groups = new Map<string, Figure[]>();
  for (const f of figures) {
    const list = groups.get(f.group);
    if (list === undefined) groups.set(f.group, [f]);
    else list.push(f);
  }
  return [...groups.values()].flat();
}

/** `ok` / `MISS` against the target; `''` without one; `skip` / `FAILED` when not measured. */
export type Verdict = 'ok' | 'MISS' | '' | 'skip' | 'FAILED';

export function verdictOf(f: Figure): Verdict {
  if (f.failed !== undefined) return 'FAILED';
  if (f.value === null) return 'skip';
  if (f.target === undefined) return '';
  return meets(f.value, f.target) ? 'ok' : 'MISS';
}

function meets(v: number, t: Target): boolean {
  switch (t.op) {
    case '<=':
      return v <= t.value;
    case '<':
      return v < t.value;
    case '>=':
      return v >= t.value;
    case '>':
      return v > t.value;
  }
}

/** Three significant digits below 100 (no exponent), one decimal up to 1,000, then whole numbers with separators. */
export function formatValue(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '-';
  const a = Math.abs(v);
  if (a >= 1000) return Math.round(v).toLocaleString('en-US');
  if (Number.isInteger(v)) return String(v);
  if (a >= 100) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toFixed(Math.min(20, Math.max(3, 2 - Math.floor(Math.log10(a)))));
}

const OPS: Readonly<Record<Target['op'], string>> = { '<=': '≤', '<': '<', '>=': '≥', '>': '>' };

export function formatTarget(t: Target | undefined): string {
  return t === undefined ? '' : `${OPS[t.op]} ${formatValue(t.value)}`;
}

function noteOf(f: Figure): string {
  return [f.failed, f.skipped, f.note].filter((x) => x !== undefined).join('; ');
}

export interface BenchSummary {
  readonly figures: number;
  readonly withTarget: number;
  readonly ok: number;
  /** Ids of the figures that miss their targets. */
  readonly missed: readonly string[];
  readonly skipped: readonly string[];
  readonly failed: readonly string[];
}

export function summarize(figures: readonly Figure[]): BenchSummary {
  const ids = (v: Verdict): string[] => figures.filter((f) => verdictOf(f) === v).map((f) => f.id);
  return {
    figures: figures.length,
    withTarget: figures.filter((f) => f.target !== undefined).length,
    ok: ids('ok').length,
    missed: ids('MISS'),
    skipped: ids('skip'),
    failed: ids('FAILED'),
  };
}

/**
 * One aligned table: figure | value | unit | target | ok?, a row per figure under a row per
 * group, notes after the last column, and a closing line counting what missed.
 */
export function formatBenchTable(figures: readonly Figure[], title?: string): string {
  const rows = figures.map((f) => ({ f, name: `  ${f.name}`, value: formatValue(f.value), target: formatTarget(f.target), verdict: verdictOf(f), note: noteOf(f) }));
  const head = { name: 'figure', value: 'value', unit: 'unit', target: 'target', verdict: 'ok?' };
  const w = {
    name: Math.max(head.name.length, ...rows.map((r) => r.name.length)),
    value: Math.max(head.value.length, ...rows.map((r) => r.value.length)),
    unit: Math.max(head.unit.length, ...rows.map((r) => r.f.unit.length)),
    target: Math.max(head.target.length, ...rows.map((r) => r.target.length)),
    verdict: Math.max(head.verdict.length, ...rows.map((r) => r.verdict.length)),
  };
  const line = (name: string, value: string, unit: string, target: string, verdict: string, note: string): string =>
    `${name.padEnd(w.name)}  ${value.padStart(w.value)}  ${unit.padEnd(w.unit)}  ${target.padEnd(w.target)}  ${verdict.padEnd(w.verdict)}  ${note}`.trimEnd();
  const out: string[] = [];
  if (title !== undefined) out.push(title);
  out.push(line(head.name, head.value, head.unit, head.target, head.verdict, ''));
  out.push(line('-'.repeat(w.name), '-'.repeat(w.value), '-'.repeat(w.unit), '-'.repeat(w.target), '-'.repeat(w.verdict), ''));
  let group: string | undefined;
  for (const r of rows) {
    if (r.f.group !== group) {
      group = r.f.group;
      out.push(group);
    }
    out.push(line(r.name, r.value, r.f.unit, r.target, r.verdict, r.note));
  }
  const s = summarize(figures);
  const parts = [`${s.figures} figures, ${s.withTarget} with a target: ${s.ok} ok, ${s.missed.length} missed`];
  if (s.skipped.length > 0) parts.push(`${s.skipped.length} skipped`);
  if (s.failed.length > 0) parts.push(`${s.failed.length} FAILED`);
  out.push('', parts.join(', ') + (s.missed.length > 0 ? ` (missed: ${s.missed.join(', ')})` : ''));
  return `${out.join('\n')}\n`;
}

/** A figure in the JSON object: as reported, plus whether it meets its target (null: no target or not measured). */
export interface ReportedFigure extends Figure {
  readonly ok: boolean | null;
}

/** What `npm run bench -- --json` prints: one object. */
export interface BenchReport {
  /** Where and how the suite ran (node version, CPUs, quick or full, duration). */
  readonly meta: Readonly<Record<string, unknown>>;
  readonly figures: readonly ReportedFigure[];
  readonly summary: BenchSummary;
}

export function benchReport(figures: readonly Figure[], meta: Readonly<Record<string, unknown>>): BenchReport {
  return {
    meta,
    figures: figures.map((f) => {
      const v = verdictOf(f);
      return { ...f, ok: v === 'ok' ? true : v === 'MISS' ? false : null };
    }),
    summary: summarize(figures),
  };
}
