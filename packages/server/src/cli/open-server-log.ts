import { pino } from 'pino';
import type { UsherConfig } from '../config/load-config.ts';
import { createLogger, type Logger } from '../logging/logger.ts';
import { CliError } from './cli-error.ts';

export interface ServerLog {
  logger: Logger;
  /** Opens `logging.file` again, for log rotation (SIGHUP); a no-op when logging to stdout. */
  reopen(): void;
}

/**
 * The logger of a serving process: JSON lines on stdout, or appended to `logging.file`. Writes are
 * synchronous, like pino's default stdout, so a process that exits loses no line. Several processes
 * (cluster workers) may append to the same file: each line is one write to a file opened for appending.
 */
export function openServerLog(settings: UsherConfig['logging']): ServerLog {
  const { file, level } = settings;
  if (!file) return { logger: createLogger(level), reopen: () => {} };
  let destination: ReturnType<typeof pino.destination>;
  try {
    destination = pino.destination({ dest: file, append: true, mkdir: true, sync: true, mode: 0o640 });
  } catch (error) {
    throw new CliError(`cannot open the log file ${file} (logging.file): ${reasonOf(error)}`, 2);
  }
  // Without a listener a failed write or reopen (disk full, folder gone) would end the process: a server
  // that cannot log keeps serving, and says so where the service manager sees it.
  destination.on('error', (error: Error) =>
    process.stderr.write(`usher: log file ${file}: ${error.message}\n`),
  );
  const logger = createLogger(level, destination);
  return {
    logger,
    reopen: () => {
      try {
        destination.reopen();
      } catch (error) {
        // The old file stays open, so no line is lost; the operator learns of it in that file.
        logger.warn(
          { file, reason: reasonOf(error) },
          'log file not reopened; logging goes on to the old file',
        );
      }
    },
  };
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
