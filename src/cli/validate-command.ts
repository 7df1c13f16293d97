import { EXIT } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';
import type { CliIo } from './cli-io.js';

/** `spatia validate CONFIG`: one line per problem; a one-line summary and exit 0 when valid. */
export function validateCommand(args: readonly string[], io: CliIo): number {
  const path = args[0];
  if (path === undefined || args.length > 1) {
    io.err('usage: spatia validate CONFIG');
    return EXIT.usage;
  }
  const problems: string[] = [];
  const loaded = loadOrReport(path, (line) => problems.push(line));
  for (const p of problems) io.out(p);
  if (loaded === undefined) {
    const errors = problems.filter((p) => !p.includes(': warning: ')).length;
    io.err(`${path}: invalid (${errors} error${errors === 1 ? '' : 's'})`);
    return EXIT.config;
  }
  const m = loaded.model;
  const hz = 1e6 / m.runtime.tickUs;
  io.out(
    `${path}: valid: ${m.zones.length} zones, ${m.sensors.length} sensors, ${m.patterns.length} patterns, ` +
      `${m.conditions.length} conditions at ${Number(hz.toFixed(3))} Hz` +
      (loaded.warnings > 0 ? ` (${loaded.warnings} warning${loaded.warnings === 1 ? '' : 's'})` : ''),
  );
  return EXIT.ok;
}
