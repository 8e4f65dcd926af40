import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. INFO for successes, WARN for failures, DEBUG for attribute detail.
 * Passwords never reach a log call; the redaction is a second line of defence.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { name: 'usher' },
      redact: {
        paths: ['password', '*.password', 'req.headers.cookie', 'passwordHash'],
        censor: '[redacted]',
      },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Enough of a ticket to correlate log lines, never enough to use it. */
export function maskTicket(ticket: string): string {
  const dash = ticket.indexOf('-');
  const keep = Math.min(ticket.length, (dash >= 0 ? dash + 1 : 0) + 6);
  return `${ticket.slice(0, keep)}…`;
}
