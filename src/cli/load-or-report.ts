import { formatIssue } from '../config/issues.js';
import { loadConfigFile } from '../config/load.js';
import type { DeploymentModel } from '../config/model.js';
import { buildEngine } from '../core/build-graph.js';

/**
 * Loads and fully checks a config (schema, then expressions, references, units and cycles), printing
 * every problem to stderr. Returns the model, or undefined when the file is invalid (exit 78).
 */
export function loadOrReport(path: string, err: (line: string) => void): { model: DeploymentModel; warnings: number } | undefined {
  const { model, issues } = loadConfigFile(path);
  if (model !== undefined) {
    const built = buildEngine(model);
    issues.items.push(...built.issues.items);
  }
  for (const issue of issues.sorted()) err(formatIssue(issue));
  if (model === undefined || issues.hasErrors) return undefined;
  return { model, warnings: issues.items.length };
}
