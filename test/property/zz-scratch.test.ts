import { it } from 'vitest';
import { simLog } from '../helpers/simulate.js';
it('min', () => {
  const yaml = process.env['Y'] ?? `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    signal: {constant: 0.1}
conditions:
  - id: c
    when: avg(s, 300ms) > 0.1
`;
  for (const mode of ['poll', 'event'] as const) console.log(mode + '\n' + simLog(yaml, { durationS: Number(process.env['D'] ?? 2), seed: 1, mode }));
});
