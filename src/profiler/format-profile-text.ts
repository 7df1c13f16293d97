import type { NodeCost } from './node-costs.js';
import type { ProfileReport } from './profile-report.js';
import { formatBytes, formatCount, formatPct, formatSpan, formatUs, table } from './text-table.js';

/** The report as text a person reads at a glance: one heading per SPEC §8 figure, aligned tables with units. */
export function formatProfileText(r: ProfileReport): string {
  const lines: string[] = [];
  const mode = r.mode === 'configured' ? 'modes as configured' : `mode ${r.mode}`;
  lines.push(`spatia profile ${r.config} (${r.source}${r.seed === null ? '' : `, seed ${r.seed}`}, ${mode})`);
  lines.push('', ...ticksSection(r), '', ...durationSection(r), '', ...phasesSection(r), '', ...sensorsSection(r));
  lines.push('', ...costliestSection('Costliest patterns', r.costliest.patterns, r), '', ...costliestSection('Costliest conditions', r.costliest.conditions, r));
  lines.push('', ...actionsSection(r), '', ...memorySection(r), '', ...journalSection(r), '', ...overheadSection(r));
  if (r.notes.length > 0) lines.push('', 'Notes', ...r.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}

function ticksSection(r: ProfileReport): string[] {
  const t = r.ticks;
  const sim = r.source === 'simulation';
  const factor = t.targetHz > 0 ? t.achievedHz / t.targetHz : 0;
  return [
    'Ticks',
    ...table(
      [
        ['ticks run', `${formatCount(t.run)} at ${t.targetHz} Hz (${formatSpan(t.runS)}${sim ? ' simulated' : ''}) in ${formatSpan(t.wallS)} wall time`],
        ['rate achieved', `${formatCount(t.achievedHz)} ticks/s${sim ? ` (${formatCount(factor)}x real time)` : ''}`],
        ['timed', `${formatCount(t.timed)} ticks (${t.tickStride === 1 ? 'every tick' : `${t.burstTicks} in a row every ${formatCount(t.tickStride)} at the end`}); every node timed on ${formatCount(t.nodeTimed)} of them (1 in ${t.nodeStride})`],
        ['work', `${formatCount(t.evaluations)} evaluations, ${formatCount(t.edges)} edges, ${formatCount(t.actions)} actions, ${formatCount(t.sensorEvents)} sensor events`],
      ],
      ['l', 'l'],
    ),
  ];
}

function durationSection(r: ProfileReport): string[] {
  const d = r.tickDuration;
  const out = [r.source === 'simulation' ? 'Tick duration (busy time)' : 'Tick duration'];
  if (d === null) out.push('  no tick was timed');
  else out.push(...table([['p50', 'p90', 'p99', 'max', 'mean'], [d.p50Us, d.p90Us, d.p99Us, d.maxUs, d.meanUs].map(formatUs)], ['r', 'r', 'r', 'r', 'r']));
  out.push('', 'Lateness');
  const l = r.lateness;
  if (l === null) out.push(`  ${r.source === 'simulation' ? 'live only: simulated ticks run back to back and are never late' : 'not measured'}`);
  else out.push(...table([['p99', 'max', 'overruns'], [formatUs(l.p99Us), formatUs(l.maxUs), formatCount(l.overruns)]], ['r', 'r', 'r']));
  return out;
}

function phasesSection(r: ProfileReport): string[] {
  const total = r.phases.reduce((s, p) => s + p.meanUs, 0);
  return [
    'Time per phase (per tick)',
    ...table(
      [
        ['phase', 'p50', 'p99', 'mean', 'share'],
        ...r.phases.map((p) => [p.phase, formatUs(p.p50Us), formatUs(p.p99Us), formatUs(p.meanUs), formatPct(p.sharePct)]),
        ['total', formatUs(r.tickDuration?.p50Us ?? null), formatUs(r.tickDuration?.p99Us ?? null), formatUs(total), total > 0 ? '100 %' : '-'],
      ],
      ['l', 'r', 'r', 'r', 'r'],
    ),
  ];
}

/** Sensors listed in the text; the JSON has them all. */
const MAX_SENSOR_ROWS = 20;

function sensorsSection(r: ProfileReport): string[] {
  if (r.sensors.length === 0) return ['Sensor reads', '  no sensors'];
  // The troubled and the slow first; the others in config order.
  const failures = (s: ProfileReport['sensors'][number]): number => s.timeouts + s.errors;
  const shown = r.sensors
    .map((s, i) => ({ s, i }))
    .sort((a, b) => failures(b.s) - failures(a.s) || (b.s.p99Us ?? 0) - (a.s.p99Us ?? 0) || a.i - b.i)
    .slice(0, MAX_SENSOR_ROWS)
    .map(({ s }) => s);
  const rows = shown.map((s) => [s.id, s.kind, s.reads === null ? '-' : formatCount(s.reads), formatUs(s.p50Us), formatUs(s.p99Us), formatCount(s.timeouts), formatCount(s.errors)]);
  const out = ['Sensor reads', ...table([['sensor', 'kind', 'reads', 'p50', 'p99', 'timeouts', 'errors'], ...rows], ['l', 'l', 'r', 'r', 'r', 'r', 'r'])];
  const rest = r.sensors.length - shown.length;
  if (rest > 0) {
    const troubled = r.sensors.filter((s) => failures(s) > 0).length - shown.filter((s) => failures(s) > 0).length;
    out.push(`  ... ${formatCount(rest)} more (${troubled === 0 ? 'none with timeouts or errors' : `${formatCount(troubled)} with timeouts or errors`}; all of them in --json)`);
  }
  if (r.sensors.every((s) => s.reads === null)) out.push('  (read latency per sensor is measured live; here reads are timed as a phase: see "read" above)');
  return out;
}

function costliestSection(title: string, nodes: readonly NodeCost[], r: ProfileReport): string[] {
  if (nodes.length === 0) return [title, r.costliest.ticksSampled === 0 ? '  none timed (the run was too short for a node-timed tick)' : '  none evaluated'];
  const rows = nodes.map((n) => [n.id, formatUs(n.usPerTick), formatUs(n.meanUs), n.evaluationsPerTick.toFixed(2), formatPct(n.sharePct)]);
  return [`${title} (from ${formatCount(r.costliest.ticksSampled)} node-timed ticks)`, ...table([['id', 'per tick', 'per evaluation', 'evaluations/tick', 'share'], ...rows], ['l', 'r', 'r', 'r', 'r'])];
}

function actionsSection(r: ProfileReport): string[] {
  const kinds = r.actions.kinds;
  if (kinds.length === 0) return ['Actions and callbacks', '  none ran'];
  const rows = kinds.map((k) => [k.kind, formatCount(k.count), formatCount(k.failed), formatUs(k.latency?.p50Us ?? null), formatUs(k.latency?.p99Us ?? null), formatUs(k.latency?.maxUs ?? null)]);
  const out = ['Actions and callbacks', ...table([['kind', 'count', 'failed', 'p50', 'p99', 'max'], ...rows], ['l', 'r', 'r', 'r', 'r', 'r'])];
  if (!r.actions.latencyMeasured) out.push('  (latency is measured live; simulated actions take no time)');
  return out;
}

function memorySection(r: ProfileReport): string[] {
  const m = r.memory;
  return [
    'Memory (at the end of the run)',
    ...table(
      [
        ['heap used', formatBytes(m.heapUsedBytes), `of ${formatBytes(m.heapTotalBytes)}`],
        ['rss', formatBytes(m.rssBytes), `max ${formatBytes(m.maxRssBytes)}`],
        ['array buffers', formatBytes(m.arrayBuffersBytes), ''],
        ['engine buffers', formatBytes(m.engineBufferBytes), `${formatCount(m.seriesBuffers)} series buffers: ${formatBytes(m.seriesBufferBytes)}`],
      ],
      ['l', 'r', 'l'],
    ),
  ];
}

function journalSection(r: ProfileReport): string[] {
  const j = r.journal;
  const log = `event log ${formatBytes(r.eventLog.bytesPerSecond)}/s (${formatBytes(r.eventLog.bytes)})`;
  if (j === null) return ['Journal', '  not journaled', `  ${log}`];
  const where = j.dir === null ? 'written to a temporary directory, removed' : `kept in ${j.dir}`;
  return ['Journal', `  ${formatBytes(j.bytesPerSecond)}/s (${formatBytes(j.bytes)} in ${formatCount(j.records)} records; ${where})`, `  ${log}`];
}

function overheadSection(r: ProfileReport): string[] {
  const o = r.overhead;
  return [
    'Profiler overhead',
    `  ${formatPct(o.pctOfTickTime)} of tick time (${formatUs(o.usPerTick)} per tick; ${formatPct(o.pctOfPeriod)} of the ${formatUs(r.ticks.periodUs)} period)`,
    `  counted: each operation at its cost measured on this machine (clock read ${o.clockReadNs} ns, mark ${o.markNs} ns,`,
    `  node mark ${o.nodeMarkNs} ns, timed tick ${o.timedTickNs} ns, untimed tick ${o.untimedTickNs} ns, histogram record ${o.recordNs} ns,`,
    `  per-tick work ${o.perTickWorkNs} ns)`,
  ];
}
