import { type CheckResult, type CheckStatus, countChecks } from './check-result.js';

const TAGS: Readonly<Record<CheckStatus, string>> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };

/**
 * The report as text lines: `ok   subject: message`, `warn ...`, `FAIL ... -> fix: ...` (a
 * warning shows its fix too), then a summary line.
 */
export function formatReport(results: readonly CheckResult[]): string[] {
  const lines = results.map((r) => `${TAGS[r.status]} ${r.subject}: ${r.message}` + (r.fix !== undefined && r.fix !== '' ? ` -> fix: ${r.fix}` : ''));
  lines.push(summaryLine(results));
  return lines;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const c = countChecks(results);
  const verdict = c.fail > 0 ? 'fix the FAIL lines above' : c.warn > 0 ? 'ready, with warnings' : 'ready';
  return `spatia doctor: ${c.ok} ok, ${c.warn} warning${c.warn === 1 ? '' : 's'}, ${c.fail} failed: ${verdict}`;
}

/** The report as one JSON object: `{"ok": bool, "counts": {...}, "checks": [...]}`. */
export function formatReportJson(results: readonly CheckResult[]): string {
  const counts = countChecks(results);
  return JSON.stringify({ ok: counts.fail === 0, counts, checks: results });
}
