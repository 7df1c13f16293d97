/**
 * SPEC §4.4: "Both modes produce exactly the same event log; `event` only saves work."
 *
 * A fast-check property generates random deployments as YAML text (mock sensors with every signal
 * kind, sampling, staleness, faults and filters; expr and filter patterns; conditions built from
 * random expression trees over comparisons, window aggregates and temporal operators) and checks
 * that the event log of a run with every pattern and condition forced to `mode: poll` is
 * byte-identical to the log of the same run with everything forced to `mode: event`.
 *
 * Every generated YAML must load and compile: an invalid one fails the test (with the YAML and
 * the issues), it is never skipped. On a difference the failure message holds the YAML, the
 * seed, the duration and the first differing log line, and fast-check shrinks the deployment.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEngine } from '../../src/core/build-graph.js';
import { formatIssue } from '../../src/config/issues.js';
import { modelOf, simLog } from '../helpers/simulate.js';
import { deployment, render } from './deployment-arbitrary.js';

// ---------------------------------------------------------------------------------------------
// Helpers shared by the property and the fixed cases
// ---------------------------------------------------------------------------------------------

/** Throws with the formatted issues and the YAML when the deployment does not load or compile. */
function assertValid(yaml: string): void {
  let model;
  try {
    model = modelOf(yaml);
  } catch (err) {
    throw new Error(`generated YAML is invalid (config):\n${(err as Error).message}\n--- YAML ---\n${yaml}`);
  }
  const { engine, issues } = buildEngine(model);
  if (engine === undefined) {
    const text = issues.sorted().map(formatIssue).join('\n');
    throw new Error(`generated YAML is invalid (expressions):\n${text}\n--- YAML ---\n${yaml}`);
  }
}

/** The first line where two logs differ, with its neighbourhood; undefined when equal. */
function firstDifference(poll: string, event: string): string | undefined {
  if (poll === event) return undefined;
  const a = poll.split('\n');
  const b = event.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const prev = i > 0 ? `  previous (same): ${a[i - 1] ?? ''}\n` : '';
  return (
    `first difference at log line ${i + 1} (poll has ${a.length - 1} lines, event ${b.length - 1}):\n` +
    prev +
    `  poll : ${a[i] ?? '<end of log>'}\n` +
    `  event: ${b[i] ?? '<end of log>'}`
  );
}

interface RunStats {
  runs: number;
  runsWithEdges: number;
  edges: number;
  actions: number;
  sensorRecords: number;
  lines: number;
}

function countType(log: string, type: string): number {
  let n = 0;
  const needle = `"type":"${type}"`;
  for (let at = log.indexOf(needle); at >= 0; at = log.indexOf(needle, at + 1)) n++;
  return n;
}

/** Runs both modes and throws a descriptive error when their logs differ. Returns the poll log. */
function checkSame(yaml: string, durationS: number, seed: number): string {
  const poll = simLog(yaml, { durationS, seed, mode: 'poll' });
  const event = simLog(yaml, { durationS, seed, mode: 'event' });
  const diff = firstDifference(poll, event);
  if (diff !== undefined) {
    throw new Error(`poll and event logs differ (seed ${seed}, duration ${durationS}s)\n${diff}\n--- YAML ---\n${yaml}`);
  }
  return poll;
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/** 150 by default; `SPATIA_PROP_RUNS=5000 npx vitest run test/property` for a longer hunt. */
const NUM_RUNS = Number(process.env['SPATIA_PROP_RUNS'] ?? 150);

describe('poll and event evaluation give byte-identical event logs (SPEC §4.4)', () => {
  it(`random deployments (${NUM_RUNS} runs)`, () => {
    const stats: RunStats = { runs: 0, runsWithEdges: 0, edges: 0, actions: 0, sensorRecords: 0, lines: 0 };
    const started = Date.now();
    fc.assert(
      fc.property(deployment.map((d) => ({ yaml: render(d), durationS: d.durationS, seed: d.seed })), ({ yaml, durationS, seed }) => {
        assertValid(yaml);
        const log = checkSame(yaml, durationS, seed);
        const edges = countType(log, 'edge');
        stats.runs++;
        if (edges > 0) stats.runsWithEdges++;
        stats.edges += edges;
        stats.actions += countType(log, 'action');
        stats.sensorRecords += countType(log, 'sensor');
        stats.lines += log.length === 0 ? 0 : log.split('\n').length - 1;
      }),
      { numRuns: NUM_RUNS },
    );
    console.log(
      `poll-vs-event: ${stats.runs} runs in ${((Date.now() - started) / 1000).toFixed(1)} s; ` +
        `${stats.runsWithEdges} runs (${Math.round((100 * stats.runsWithEdges) / Math.max(1, stats.runs))}%) had edges; ` +
        `${stats.edges} edges, ${stats.actions} action records, ${stats.sensorRecords} sensor records, ${stats.lines} log lines in all`,
    );
    expect(stats.runs).toBe(NUM_RUNS);
    // Not vacuous: most generated deployments actually produce edges.
    expect(stats.runsWithEdges / stats.runs).toBeGreaterThan(0.3);
  });

  it('avg of a constant 0.1 while its window fills (minimised from the property)', () => {
    // Found by the property at 10 Hz: poll logged c rising at t=0.2 (0.1 * 3 / 3 is
    // 0.10000000000000002 > 0.1), event logged nothing, because WindowSumOp.nextDue said
    // "never" for avg over a single run although the window was still filling.
    const yaml = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    signal: {constant: 0.1}
conditions:
  - id: c
    when: avg(s, 300ms) > 0.1
`;
    assertValid(yaml);
    checkSame(yaml, 2, 1);
  });

  it('config/demo.yaml over 600 s', () => {
    const path = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
    const yaml = readFileSync(path, 'utf8');
    const log = checkSame(yaml, 600, 1);
    expect(countType(log, 'edge')).toBeGreaterThan(0);
  });

  it('window aggregates over a sensor that holds still for 10 s, then changes', () => {
    // s holds 4 for 10 s, then steps through values; windows of 5 s must slide out the old run
    // exactly when event mode skips the quiet ticks. f holds 0.1, which is not exact in binary.
    const yaml = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    signal: {steps: [[0, 4], [10s, 7], [10.3s, 2], [16s, 9], [23s, 9.5], [30s, 4]]}
  - id: b
    kind: mock
    type: boolean
    signal: {steps: [[0, false], [2s, true], [12s, false], [12.5s, true], [20s, false]]}
  - id: f
    kind: mock
    signal: {steps: [[0, 0.1], [10s, 0.7], [10.2s, 0.1]]}
conditions:
  - id: avg_hi
    when: avg(s, 5s) > 5
  - id: avg_exact
    when: avg(s, 5s) == 4
  - id: sum_hi
    when: sum(s, 5s) > 200
  - id: sum_exact
    when: sum(s, 5s) == 200
  - id: count_full
    when: count(b, 5s) >= 50
  - id: count_some
    when: count(b, 5s) > 10 and count(b, 5s) < 40
  - id: min_lo
    when: min(s, 5s) < 3
  - id: max_hi
    when: max(s, 5s) > 8
  - id: delta_up
    when: delta(s, 5s) > 1
  - id: delta_zero
    when: delta(s, 5s) == 0
  - id: rate_up
    when: rate(s, 5s) > 0.2
  - id: rate_down
    when: rate(s, 5s) < -0.2
  - id: rate_known
    when: known(rate(s, 5s))
  - id: fill
    when: sum(s, 5s) > 10 and sum(s, 5s) < 30
    actions:
      - log: "window filling: {s}"
  # While the window fills, avg of a constant 0.1 is 0.1 * n / n, which rounds differently
  # for different n (0.1 * 3 / 3 = 0.10000000000000002): event mode must not skip those ticks.
  - id: avg_rounding
    when: avg(f, 300ms) > 0.1
  - id: avg_rounding_changed
    when: changed(avg(f, 5s))
  - id: avg_vs_self
    when: avg(f, 2s) > f or avg(f, 2s) < f
`;
    assertValid(yaml);
    const log = checkSame(yaml, 40, 1);
    expect(countType(log, 'edge')).toBeGreaterThan(10);
  });

  it('held / within deadlines, for:, rose/fell and seq under skipped ticks', () => {
    const yaml = `version: 1
runtime: {tick_rate: 5 Hz, initial: skip}
sensors:
  - id: a
    kind: mock
    type: boolean
    signal: {steps: [[0, false], [1s, true], [4.1s, false], [5s, true], [5.2s, false], [9s, true], [20s, false]]}
  - id: x
    kind: mock
    signal: {steps: [[0, 1], [3s, 6], [8s, 2], [12s, 7]]}
    sample_every: 700ms
    stale_after: 1500ms
    faults: [{at: 14s, for: 3s, mode: timeout}]
conditions:
  - id: held_a
    when: held(a, 3s)
  - id: held_exact
    when: held(a, 3.1s)
  - id: within_a
    when: within(a, 2s)
  - id: within_short
    when: within(rose(a), 300ms)
  - id: a_for
    when: a
    for: 2500ms
  - id: x_high_for
    when: x > 5
    for: 1s
  - id: held_within
    when: held(within(x > 5, 1s), 2s)
  - id: within_held
    when: within(held(a, 1s), 1500ms)
  - id: nested_fell
    when: fell(held(a, 2s))
  - id: seq_ax
    when: seq(a, x > 5, 4s)
  - id: stale_x
    when: stale(x) or not known(x)
  - id: old_x
    when: age(x) > 1
  - id: chain
    when: within(held_a, 1s) and not stale_x
    actions:
      - log: "chain {x}"
`;
    assertValid(yaml);
    const log = checkSame(yaml, 30, 1);
    expect(countType(log, 'edge')).toBeGreaterThan(10);
  });
});
