import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CheckpointInspection, PartSummary } from '../persistence/checkpoint/checkpoint-inspect.js';
import { CheckpointStore } from '../persistence/checkpoint/checkpoint-store.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';

export const CHECKPOINT_USAGE = 'usage: spatia checkpoint inspect STATE_DIR [--json]';

/**
 * `spatia checkpoint inspect STATE_DIR [--json]`: what the newest valid checkpoint in
 * `STATE_DIR/checkpoints` holds (tick, time, when written, config hash, parts with sizes and
 * counts), and every checkpoint file with its verdict (rejected ones with the reason). Exit 0,
 * 1 when no checkpoint verifies, 2 on bad usage. Reads only; changes nothing.
 */
export async function checkpointCommand(args: readonly string[], io: CliIo): Promise<number> {
  let dir: string;
  let json: boolean;
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals[0] !== 'inspect') throw new Error(positionals[0] === undefined ? 'expected a subcommand: inspect' : `unknown subcommand "${positionals[0]}"`);
    if (positionals.length !== 2) throw new Error('expected exactly one STATE_DIR');
    dir = positionals[1] as string;
    json = values.json === true;
  } catch (err) {
    io.err(`spatia checkpoint: ${err instanceof Error ? err.message : String(err)}`);
    io.err(CHECKPOINT_USAGE);
    return EXIT.usage;
  }
  const inspection = await new CheckpointStore(join(dir, 'checkpoints')).inspect();
  if (json) io.out(JSON.stringify(inspection, null, 2));
  else for (const line of formatInspection(inspection)) io.out(line);
  if (inspection.latest === undefined) {
    io.err(`spatia checkpoint: no readable checkpoint in ${inspection.dir}`);
    return EXIT.failure;
  }
  return EXIT.ok;
}

/** The inspection as readable lines: the newest valid checkpoint first, then every file. */
export function formatInspection(ins: CheckpointInspection): string[] {
  const out: string[] = [];
  const l = ins.latest;
  if (l === undefined) {
    out.push(`${ins.dir}: no valid checkpoint (${ins.files.length} file${ins.files.length === 1 ? '' : 's'})`);
  } else {
    out.push(`newest valid checkpoint: ${l.file}`);
    out.push(`  tick         ${l.tick}${l.tS === undefined ? '' : ` (t = ${l.tS} s)`}`);
    out.push(`  written at   ${l.writtenAt}`);
    out.push(`  config hash  ${l.configHash}`);
    out.push(`  format       file ${l.fileFormat}, state ${l.formatVersion}`);
    out.push(`  size         ${l.bytes} bytes`);
    out.push('  parts:');
    for (const p of l.parts) out.push(`    ${formatPart(p)}`);
  }
  if (ins.files.length > 0) {
    out.push('files (newest first):');
    for (const f of ins.files) {
      const verdict = f.status === 'valid' ? 'valid' : `REJECTED (${f.reason ?? 'unreadable'}): ${f.message ?? ''}`;
      out.push(`  ${f.file}  tick ${f.tick}  ${f.bytes} bytes  ${verdict}`);
    }
  }
  return out;
}

function formatPart(p: PartSummary): string {
  const counts = Object.entries(p.counts).map(([k, n]) => `${k} ${n}`);
  return `${p.name}: ${p.bytes} bytes${counts.length === 0 ? '' : ` (${counts.join(', ')})`}`;
}
