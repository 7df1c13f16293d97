#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli (compiled by `npm ci` through the prepare script).
import { main } from '../dist/cli/main.js';

const argv = process.argv.slice(2);
// A reader that goes away (`spatia sim ... | head`) ends the command quietly, as SIGPIPE would.
// `spatia run` handles its own log sink: it stops gracefully, with its final checkpoint.
if (argv[0] !== 'run') {
  process.stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
process.exitCode = await main(argv);
