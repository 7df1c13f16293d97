import { processIo, type CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';

const USAGE = `usage: spatia COMMAND ...
  spatia validate CONFIG            check a deployment; one line per problem
  spatia sim CONFIG [--duration D] [--seed N] [--speed max|X] [--out FILE] [--mode poll|event|auto]
                    [--explain ID [--explain-window N]] [--state-dir DIR (with --out)]
                                    run it on the simulated clock; event log (JSON Lines) to stdout;
                                    with --state-dir, journaled and checkpointed, and resumed when
                                    started again on the same DIR
  spatia run CONFIG [--out FILE] [--duration D] [--status-every D] [--metrics [HOST:]PORT] [--explain ID [--explain-window N]]
                                    live run on real sensors and the real clock, until SIGTERM;
                                    resumes from its state_dir; SIGHUP reloads CONFIG
  spatia doctor [CONFIG] [--json]   check this machine for what CONFIG needs (devices, groups,
                                    permissions, GPIO chips, brokers); prints what to fix
  spatia profile CONFIG [--duration D] [--json] [--seed N] [--mode poll|event|auto] [--state-dir DIR] [--live]
                                    run it under the profiler (simulated; --live: real sensors and clock);
                                    tick time, lateness, phases, sensors, costliest nodes, memory, journal
  spatia replay STATE_DIR|JOURNAL --config CONFIG [--out FILE]
                                    recorded sensor input through a (changed) config; event log
  spatia checkpoint inspect STATE_DIR [--json]
                                    what the newest checkpoint in STATE_DIR holds; exit 1 if none
  spatia reload CONFIG              check CONFIG, then have the running spatia run of its state_dir
                                    reload it (SIGHUP); a config with errors is never sent
  spatia install-service [--config FILE] [--user NAME] [--root DIR] [--dry-run] [--no-enable]
                                    install the systemd service (user, /etc/spatia, unit); as root
exit codes: 0 ok, 1 failure while running, 2 bad usage, 78 invalid configuration`;

/**
 * The CLI entry point; returns the process exit code. Each command's module is imported when it
 * runs: `validate` need not load the hardware ports, workers and outbox that `run` wires.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'validate':
        return (await import('./validate-command.js')).validateCommand(rest, io);
      case 'sim':
        return await (await import('./sim-command.js')).simCommand(rest, io);
      case 'doctor':
        return await (await import('./doctor-command.js')).doctorCommand(rest, io);
      case 'replay':
        return await (await import('./replay-command.js')).replayCommand(rest, io);
      case 'run':
        return await (await import('./run-command.js')).runCommand(rest, io);
      case 'checkpoint':
        return await (await import('./checkpoint-command.js')).checkpointCommand(rest, io);
      case 'profile':
        return await (await import('./profile-command.js')).profileCommand(rest, io);
      case 'reload':
        return (await import('./reload-command.js')).reloadCommand(rest, io);
      case 'install-service':
        return (await import('./install-service-command.js')).installServiceCommand(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        io.err(`spatia: unknown command "${command}"`);
        io.err(USAGE);
        return EXIT.usage;
    }
  } catch (err) {
    io.err(`spatia ${command ?? ''}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.failure;
  }
}
