import { round3 } from './histograms.js';

/** What the ranking needs to know of a graph node. */
export interface NodeInfo {
  readonly id: string;
  readonly kind: 'pattern' | 'condition';
}

/** One pattern or condition among the costliest. */
export interface NodeCost {
  readonly id: string;
  /** Mean time per tick, over the ticks whose nodes were timed (µs). */
  readonly usPerTick: number;
  /** Mean time per evaluation (µs). */
  readonly meanUs: number;
  /** Evaluations per tick (below 1 in event mode: the node ran only when woken). */
  readonly evaluationsPerTick: number;
  /** Share of all node evaluation time on those ticks (%). */
  readonly sharePct: number;
}

/**
 * Cumulative evaluation time and evaluation count per node, over the sampled ticks on which every
 * node was timed. Typed arrays indexed by node: adding a timing allocates nothing.
 */
export class NodeCosts {
  readonly sumUs: Float64Array;
  readonly evaluations: Float64Array;
  /** Ticks whose nodes were timed. */
  ticks = 0;

  constructor(readonly count: number) {
    this.sumUs = new Float64Array(count);
    this.evaluations = new Float64Array(count);
  }

  add(node: number, us: number): void {
    this.sumUs[node] = (this.sumUs[node] ?? 0) + us;
    this.evaluations[node] = (this.evaluations[node] ?? 0) + 1;
  }

  /** The `limit` costliest nodes of `kind` by total time, costliest first (ties by id, for stable output). */
  costliest(nodes: readonly NodeInfo[], kind: NodeInfo['kind'], limit = 10): NodeCost[] {
    let total = 0;
    for (let i = 0; i < this.count; i++) total += this.sumUs[i] ?? 0;
    const ticks = Math.max(1, this.ticks);
    const ranked: NodeCost[] = [];
    nodes.forEach((n, i) => {
      const evals = this.evaluations[i] ?? 0;
      if (n.kind !== kind || evals === 0) return;
      const sum = this.sumUs[i] ?? 0;
      ranked.push({
        id: n.id,
        usPerTick: round3(sum / ticks),
        meanUs: round3(sum / evals),
        evaluationsPerTick: round3(evals / ticks),
        sharePct: total > 0 ? Math.round((1e4 * sum) / total) / 100 : 0,
      });
    });
    ranked.sort((a, b) => b.usPerTick - a.usPerTick || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return ranked.slice(0, limit);
  }
}
