import type { CasErrorCode } from '@usher/protocol';

/** Failures that happen before or around a CAS answer, not inside it. */
export type TransportErrorCode = 'SERVER_UNREACHABLE' | 'TIMEOUT' | 'HTTP_ERROR' | 'INVALID_RESPONSE';

/** A login the CAS server accepted but this application refuses (django-cas-ng's backend checks). */
export type LoginRefusalCode =
  | 'MALFORMED_TICKET'
  | 'USERNAME_ATTRIBUTE_MISSING'
  | 'USERNAME_REJECTED'
  | 'ATTRIBUTES_REJECTED'
  | 'UNKNOWN_USER'
  | 'INACTIVE_USER'
  | 'PROXY_CHAIN_REJECTED';

/** Proxy granting ticket problems on this side (the server's own are `BAD_PGT` etc.). */
export type ProxyErrorCode = 'NO_PGT' | 'PROXY_NOT_CONFIGURED';

/** `UNKNOWN_CAS_ERROR`: the server answered a failure code outside the specification (see `casCode`). */
export type CasClientErrorCode =
  | CasErrorCode
  | TransportErrorCode
  | LoginRefusalCode
  | ProxyErrorCode
  | 'UNKNOWN_CAS_ERROR';

/** The one error type of the SDK: switch on `code`, which is stable across releases. */
export class CasClientError extends Error {
  override readonly name = 'CasClientError';
  readonly code: CasClientErrorCode;
  /** The code exactly as the CAS server sent it, when the failure came from the server. */
  readonly casCode: string | undefined;
  /** HTTP status of the CAS server's answer, for `HTTP_ERROR`. */
  readonly status: number | undefined;

  constructor(
    code: CasClientErrorCode,
    message: string,
    options: { cause?: unknown; casCode?: string; status?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.casCode = options.casCode;
    this.status = options.status;
  }
}

export function isCasClientError(error: unknown, code?: CasClientErrorCode): error is CasClientError {
  return error instanceof CasClientError && (code === undefined || error.code === code);
}
