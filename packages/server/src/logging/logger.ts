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

/** Characters of a ticket's end shown in logs: enough to correlate lines, never enough to use it. */
const SHOWN_TAIL = 6;

/**
 * The ticket's prefix and last characters (`ST-…x8Kq2Z`). The end, not the start: Usher's ids start
 * with their issue time, which is the same for every ticket of the same minutes. A ticket too short to
 * spare them shows its prefix only.
 */
export function maskTicket(ticket: string): string {
  const prefix = ticket.slice(0, ticket.indexOf('-') + 1);
  const rest = ticket.length - prefix.length;
  return rest >= 4 * SHOWN_TAIL ? `${prefix}…${ticket.slice(-SHOWN_TAIL)}` : `${prefix}…`;
}
