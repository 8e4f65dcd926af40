import { type CasError, InvalidRequestError, toCasError } from '@usher/protocol';
import type { UsherContext } from '../context.ts';
import { BadParameterError } from '../http/params.ts';
import { maskTicket } from '../logging/logger.ts';
import { StorageUnavailableError } from '../storage/types.ts';

const TICKET_IN_TEXT = /\b(?:ST|PT|PGT|PGTIOU)-[A-Za-z0-9-]+/g;

/** Any failure of a CAS endpoint as the CAS error to render, logged once at the right level. */
export function casFailure(
  ctx: UsherContext,
  error: unknown,
  endpoint: string,
): { error: CasError; status: number } {
  const casError =
    error instanceof BadParameterError ? new InvalidRequestError(error.message) : toCasError(error);
  if (casError.code === 'INTERNAL_ERROR') {
    ctx.logger.error({ err: error, endpoint }, 'CAS request failed with an internal error');
  } else {
    const reason = casError.message.replace(TICKET_IN_TEXT, (ticket) => maskTicket(ticket));
    ctx.logger.warn(
      { code: casError.code, reason, detail: casError.detail, endpoint },
      'CAS request refused',
    );
  }
  // Validation answers are 200 whatever the CAS code (clients read the body); an unreachable store is 503.
  return { error: casError, status: error instanceof StorageUnavailableError ? 503 : 200 };
}
