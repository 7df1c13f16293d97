import { loadConfigText } from '../../src/config/load.js';
import type { DeploymentModel, EvalMode } from '../../src/config/model.js';
import { withMode } from '../../src/runtime/with-mode.js';
import { formatRecord, type EventRecord } from '../../src/core/event-record.js';
import { Simulation } from '../../src/runtime/simulation.js';
import { formatIssue } from '../../src/config/issues.js';

/** Loads YAML text or throws with every issue formatted. */
export function modelOf(yaml: string, file = 'test.yaml'): DeploymentModel {
  const { model, issues } = loadConfigText(yaml, file);
  if (model === undefined) throw new Error(issues.sorted().map(formatIssue).join('\n'));
  return model;
}

export { withMode };

export interface SimOpts {
  readonly durationS: number;
  readonly seed?: number;
  readonly mode?: EvalMode;
  readonly baseDir?: string;
  /** Every node on its closures instead of flat programs (see BuildOptions). */
  readonly closures?: boolean;
}

/** Runs a YAML deployment in simulation and returns its records. */
export function simRecords(yaml: string, opts: SimOpts): EventRecord[] {
  let model = modelOf(yaml);
  if (opts.mode !== undefined) model = withMode(model, opts.mode);
  const sim = new Simulation(model, { seed: opts.seed ?? 1, baseDir: opts.baseDir ?? '.', closures: opts.closures === true });
  return sim.runFor(Math.round(opts.durationS * 1e6));
}

/** The event log exactly as `spatia sim` writes it. */
export function simLog(yaml: string, opts: SimOpts): string {
  return simRecords(yaml, opts).map(formatRecord).join('');
}

/** Compact view for assertions: `t type id edge|status`. */
export function brief(records: readonly EventRecord[]): string[] {
  return records.map((r) =>
    r.type === 'edge'
      ? `${r.t} edge ${String(r['id'])} ${String(r['edge'])}`
      : r.type === 'sensor'
        ? `${r.t} sensor ${String(r['id'])} ${String(r['status'])}`
        : `${r.t} action ${String(r['condition'])} ${String(r['action'])} ${String(r['status'])}`,
  );
}
