import { it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { formatIssue } from '../../../src/config/issues.js';
it('scratch', () => {
  const r = loadConfigFile(process.env['F'] ?? '/tmp/bad.yaml');
  for (const i of r.issues.sorted()) console.log(formatIssue(i));
  if (process.env['M']) console.log(JSON.stringify(r.model, (k, v) => (k === 'pos' ? `${v.line}:${v.col} ${v.path}` : v)));
});
