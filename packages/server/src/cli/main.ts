#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.ts';
import { StorageUnavailableError } from '../storage/types.ts';
import { CliError } from './cli-error.ts';
import { registerMaintenanceCommands } from './maintenance-commands.ts';
import { registerServeCommand } from './serve-command.ts';
import { registerServiceCommands } from './service-commands.ts';
import { registerSessionCommands } from './session-commands.ts';
import { registerSloCommands } from './slo-commands.ts';
import { registerUserCommands } from './user-commands.ts';

/** What to change when the port cannot be listened on, by the error's code. */
const LISTEN_HINTS: Record<string, string> = {
  EADDRINUSE: 'set server.port or USHER_SERVER__PORT',
  EACCES: 'set server.port or USHER_SERVER__PORT',
  EADDRNOTAVAIL: 'not an address of this machine: set server.host or USHER_SERVER__HOST',
};

// Output piped into a reader that stops early (`usher service list | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const program = new Command('usher')
  .description('Usher: CAS single sign-on server')
  .option(
    '-c, --config <file>',
    'configuration file (default: $USHER_CONFIG, ./usher.yaml or data/usher.yaml)',
  )
  .exitOverride();

registerServeCommand(program);
registerUserCommands(program);
registerServiceCommands(program);
registerMaintenanceCommands(program);
registerSessionCommands(program);
registerSloCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // A failed command ends here, whatever it left open: a storage connection, a thread, a worker's IPC
  // channel (whose primary reads the exit code). stderr is synchronous on Linux, so the report is written.
  process.exit(report(error));
}

function report(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof ConfigError) {
    console.error(error.message);
    return 2;
  }
  if (error instanceof CliError) {
    console.error(`usher: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof StorageUnavailableError) {
    console.error(`usher: storage unavailable: ${error.message}`);
    return 3;
  }
  const hint = LISTEN_HINTS[(error as NodeJS.ErrnoException).code ?? ''];
  if (hint) {
    console.error(`usher: cannot listen: ${(error as Error).message} (${hint})`);
    return 1;
  }
  console.error(`usher: unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
