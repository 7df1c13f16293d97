import { describe, expect, it } from 'vitest';
import { TaskQueue } from '../../../../src/actions/callbacks/task-queue.js';

describe('TaskQueue', () => {
  it('is a FIFO through long backlogs (compacting as it goes)', () => {
    const q = new TaskQueue<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    const out: number[] = [];
    for (let i = 0; i < 3000; i++) out.push(q.shift() as number);
    for (let i = 5000; i < 6000; i++) q.push(i);
    expect(q.length).toBe(3000);
    for (let v = q.shift(); v !== undefined; v = q.shift()) out.push(v);
    expect(out).toEqual([...Array(6000).keys()]);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });

  it('puts tasks back in front in their order, removes one, and drains', () => {
    const q = new TaskQueue<string>();
    ['c', 'd', 'e'].forEach((x) => q.push(x));
    expect(q.shift()).toBe('c');
    q.unshift(['a', 'b']);
    expect(q.remove('d')).toBe(true);
    expect(q.remove('zz')).toBe(false);
    expect(q.drain()).toEqual(['a', 'b', 'e']);
    expect(q.length).toBe(0);
  });
});
