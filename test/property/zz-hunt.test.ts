import fc from 'fast-check';
import { it } from 'vitest';
import { simLog } from '../helpers/simulate.js';
import { deployment, render } from './deployment-arbitrary.js';
it('hunt', () => {
  fc.assert(
    fc.property(deployment.map((d) => ({ yaml: render(d), durationS: d.durationS, seed: d.seed })), ({ yaml, durationS, seed }) => {
      const a = simLog(yaml, { durationS, seed, mode: 'poll' });
      const b = simLog(yaml, { durationS, seed, mode: 'event' });
      if (a !== b) {
        const x = a.split('\n'), y = b.split('\n');
        let i = 0; while (x[i] === y[i]) i++;
        throw new Error(`DIFF\n${yaml}\nseed ${seed} dur ${durationS}\npoll : ${x[i]}\nevent: ${y[i]}`);
      }
    }),
    { numRuns: Number(process.env['N'] ?? 3000), ...(process.env['S'] ? { seed: Number(process.env['S']) } : {}) },
  );
}, 600_000);
