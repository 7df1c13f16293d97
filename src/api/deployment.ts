import { Observable } from 'rxjs';
import { stringify } from 'yaml';
import { ConfigError, IssueList } from '../config/issues.js';
import { loadConfigFile, loadConfigText } from '../config/load.js';
import type { DeploymentModel } from '../config/model.js';
import { buildEngine } from '../core/build-graph.js';
import type { EventRecord } from '../core/event-record.js';
import { ticksBefore } from '../conditions/temporal-op.js';
import { Simulation, type SimulationOptions } from '../runtime/simulation.js';

/**
 * A deployment written in TypeScript: the same keys as the YAML file (snake_case, durations as
 * `30s` or seconds), as a plain object. It goes through exactly the same validation and
 * compilation as a YAML file, so both build the same graph.
 */
export type DeploymentSpec = Record<string, unknown> & { version: 1 };

function checked(model: DeploymentModel | undefined, issues: IssueList): DeploymentModel {
  if (model !== undefined) issues.items.push(...buildEngine(model).issues.items);
  if (model === undefined || issues.hasErrors) throw new ConfigError(issues.sorted());
  return model;
}

/** Validates a deployment object; throws ConfigError listing every problem. */
export function defineDeployment(spec: DeploymentSpec, name = '<api>'): DeploymentModel {
  const { model, issues } = loadConfigText(stringify(spec), name);
  return checked(model, issues);
}

/** Loads and validates a YAML deployment file; throws ConfigError listing every problem. */
export function loadDeployment(path: string): DeploymentModel {
  const { model, issues } = loadConfigFile(path);
  return checked(model, issues);
}

export interface SimulateOptions extends SimulationOptions {
  /** Simulated time to run, in seconds. */
  readonly durationS: number;
}

/** Runs a deployment on the simulated clock and returns its event log records. */
export function simulate(model: DeploymentModel, opts: SimulateOptions): EventRecord[] {
  return new Simulation(model, opts).runFor(Math.round(opts.durationS * 1e6));
}

/**
 * The same, as an rxjs Observable: records are emitted in log order as the simulated ticks run;
 * unsubscribing stops the simulation between ticks.
 */
export function simulate$(model: DeploymentModel, opts: SimulateOptions): Observable<EventRecord> {
  return new Observable<EventRecord>((subscriber) => {
    const sim = new Simulation(model, opts);
    const end = ticksBefore(Math.round(opts.durationS * 1e6), sim.periodUs);
    const batch: EventRecord[] = [];
    while (!subscriber.closed && sim.tickIndex < end) {
      sim.tick(batch);
      for (const r of batch) subscriber.next(r);
      batch.length = 0;
    }
    subscriber.complete();
  });
}
