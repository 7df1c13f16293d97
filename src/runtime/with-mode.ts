import type { DeploymentModel, EvalMode } from '../config/model.js';

/** The same deployment with one evaluation mode forced on every pattern and condition (`sim --mode`). */
export function withMode(model: DeploymentModel, mode: EvalMode): DeploymentModel {
  return {
    ...model,
    runtime: { ...model.runtime, mode },
    patterns: model.patterns.map((p) => ({ ...p, mode })),
    conditions: model.conditions.map((c) => ({ ...c, mode })),
  };
}
