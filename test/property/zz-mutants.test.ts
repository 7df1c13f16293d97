import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { simLog } from '../helpers/simulate.js';
import { deployment, render } from './deployment-arbitrary.js';
import { WithinOp } from '../../src/conditions/within-op.js';
import { WindowSumOp } from '../../src/conditions/window-sum-op.js';
import { HeldOp } from '../../src/conditions/held-op.js';
import { WindowExtremeOp } from '../../src/conditions/window-extreme-op.js';
import { WindowDeltaOp } from '../../src/conditions/window-delta-op.js';
import { RoseOp, FellOp, ChangedOp } from '../../src/conditions/edge-ops.js';
import { SeqOp } from '../../src/conditions/seq-op.js';

type AnyProto = Record<string, unknown>;
const mutants: Record<string, () => () => void> = {
  withinNoCatchup: () => {
    const p = WithinOp.prototype as unknown as AnyProto;
    const orig = p['eval'];
    p['eval'] = function (this: AnyProto, c: number, tick: number) {
      this['current'] = c;
      if (c === 1) this['lastTrue'] = tick;
      if (tick - (this['lastTrue'] as number) <= (this['ticks'] as number)) return 1;
      return c !== c ? NaN : 0;
    };
    return () => (p['eval'] = orig);
  },
  sumAvgFill: () => {
    const p = WindowSumOp.prototype as unknown as AnyProto;
    const orig = p['nextDue'] as (t: number) => number;
    p['nextDue'] = function (this: AnyProto, tick: number) {
      const d = orig.call(this, tick);
      return this['kind'] === 'avg' && d === tick + 1 && (this['buffer'] as { startOf(n: number): number; count: number }).startOf((this['buffer'] as { count: number }).count - 1) <= Math.max((this['buffer'] as { origin: number }).origin, tick - (this['windowTicks'] as number) + 1) ? Infinity : d;
    };
    return () => (p['nextDue'] = orig);
  },
  heldOffByOne: () => {
    const p = HeldOp.prototype as unknown as AnyProto;
    const orig = p['nextDue'] as (t: number) => number;
    p['nextDue'] = function (this: AnyProto, tick: number) {
      const d = orig.call(this, tick);
      return Number.isFinite(d) ? d + 1 : d;
    };
    return () => (p['nextDue'] = orig);
  },
  extremeNever: () => {
    const p = WindowExtremeOp.prototype as unknown as AnyProto;
    const orig = p['nextDue'];
    p['nextDue'] = () => Infinity;
    return () => (p['nextDue'] = orig);
  },
  deltaNoFull: () => {
    const p = WindowDeltaOp.prototype as unknown as AnyProto;
    const orig = p['nextDue'];
    p['nextDue'] = function (this: AnyProto, tick: number) {
      const b = this['buffer'] as { origin: number; count: number; startOf(n: number): number };
      const ws = Math.max(b.origin, tick - (this['windowTicks'] as number) + 1);
      return b.startOf(b.count - 1) <= ws ? Infinity : tick + 1;
    };
    return () => (p['nextDue'] = orig);
  },
  roseSticky: () => {
    const p = Object.getPrototypeOf(RoseOp.prototype) as AnyProto;
    const orig = p['nextDue'];
    p['nextDue'] = () => Infinity;
    void FellOp; void ChangedOp;
    return () => (p['nextDue'] = orig);
  },
  seqSticky: () => {
    const p = SeqOp.prototype as unknown as AnyProto;
    const orig = p['nextDue'];
    p['nextDue'] = () => Infinity;
    return () => (p['nextDue'] = orig);
  },
};

for (const [name, install] of Object.entries(process.env['SKIP_PROP'] ? {} : mutants)) {
  it(`mutant ${name}`, () => {
    const undo = install();
    const results: string[] = [];
    try {
      for (const seed of [1, 2, 3, 4, 5]) {
        let n = 0;
        const r = fc.check(
          fc.property(deployment, (d) => {
            n++;
            const yaml = render(d);
            return simLog(yaml, { durationS: d.durationS, seed: d.seed, mode: 'poll' }) === simLog(yaml, { durationS: d.durationS, seed: d.seed, mode: 'event' });
          }),
          { numRuns: 1000, seed, endOnFailure: true },
        );
        results.push(r.failed ? String(n) : '>1000');
      }
    } finally {
      undo();
    }
    console.log(`MUTANT ${name}: runs to first failure per seed: ${results.join(', ')}`);
  }, 600_000);
}

const src = readFileSync('test/property/poll-vs-event.test.ts', 'utf8');
const fixed = [...src.matchAll(/const yaml = `([^`]*)`/g)].map((m) => m[1] ?? '');
fixed.push(readFileSync('config/demo.yaml', 'utf8'));
for (const [name, install] of Object.entries(mutants)) {
  it(`fixed vs mutant ${name}`, () => {
    const undo = install();
    try {
      const caught = fixed.map((y, i) => (simLog(y, { durationS: i === fixed.length - 1 ? 600 : 40, seed: 1, mode: 'poll' }) !== simLog(y, { durationS: i === fixed.length - 1 ? 600 : 40, seed: 1, mode: 'event' }) ? 'X' : '.'));
      console.log(`FIXED ${name}: ${caught.join('')}`);
    } finally {
      undo();
    }
  });
}
