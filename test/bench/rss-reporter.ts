/**
 * Preloaded into a measured child (`node --import dist-bench/test/bench/rss-reporter.js ...`):
 * at exit, writes the process's peak resident set size to stderr as one marked line, so the
 * parent learns the exact peak (getrusage) rather than sampling /proc while it runs.
 */
import { writeSync } from 'node:fs';

/** memory-bench.ts looks for this mark. */
const RSS_MARK = 'spatia-bench-rss ';

process.on('exit', () => {
  const u = process.memoryUsage();
  writeSync(2, `\n${RSS_MARK}${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, heapUsed: u.heapUsed, external: u.external })}\n`);
});
