/**
 * CAS error codes. The first seven are the validation codes every server MUST implement
 * (CAS Protocol 3.0, section 2.5.3); `UNAUTHORIZED_SERVICE` comes from `/proxy` (section 2.7.3);
 * `BAD_PGT` is the code Apereo CAS and the Java client use for an unknown or expired PGT on `/proxy`.
 */
export type CasErrorCode =
  | 'INVALID_REQUEST'
  | 'INVALID_TICKET_SPEC'
  | 'UNAUTHORIZED_SERVICE_PROXY'
  | 'INVALID_PROXY_CALLBACK'
  | 'INVALID_TICKET'
  | 'INVALID_SERVICE'
  | 'INTERNAL_ERROR'
  | 'UNAUTHORIZED_SERVICE'
  | 'BAD_PGT';

export const CAS_ERROR_CODES: readonly CasErrorCode[] = [
  'INVALID_REQUEST',
  'INVALID_TICKET_SPEC',
  'UNAUTHORIZED_SERVICE_PROXY',
  'INVALID_PROXY_CALLBACK',
  'INVALID_TICKET',
  'INVALID_SERVICE',
  'INTERNAL_ERROR',
  'UNAUTHORIZED_SERVICE',
  'BAD_PGT',
];

export function isCasErrorCode(value: unknown): value is CasErrorCode {
  return typeof value === 'string' && (CAS_ERROR_CODES as readonly string[]).includes(value);
}

export interface CasErrorOptions {
  /** Private detail for logs; never rendered to peers. */
  detail?: string;
  cause?: unknown;
}

/**
 * A CAS protocol error. `message` is the public description (it goes into
 * `<cas:authenticationFailure>`); put anything sensitive in `detail`.
 *
 * `httpStatus` is meant for pages and non-CAS APIs. Validation responses (`/serviceValidate`,
 * `/proxyValidate`, `/p3/*`, `/proxy`) are sent with 200 whatever the code, as Apereo CAS does:
 * deployed clients (Java's HttpURLConnection among them) treat any other status as a transport
 * failure and never read the CAS error.
 */
export class CasError extends Error {
  readonly code: CasErrorCode;
  readonly httpStatus: number;
  readonly detail: string | undefined;

  constructor(code: CasErrorCode, message: string, httpStatus: number, options: CasErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = httpStatus;
    this.detail = options.detail;
  }
}

export class InvalidRequestError extends CasError {
  constructor(
    message = 'Not all of the required request parameters were present',
    options?: CasErrorOptions,
  ) {
    super('INVALID_REQUEST', message, 400, options);
  }
}

export class InvalidTicketSpecError extends CasError {
  constructor(
    message = 'The ticket does not meet the requirements of the validation specification',
    options?: CasErrorOptions,
  ) {
    super('INVALID_TICKET_SPEC', message, 400, options);
  }
}

export class UnauthorizedServiceProxyError extends CasError {
  constructor(
    message = 'The service is not authorized to perform proxy authentication',
    options?: CasErrorOptions,
  ) {
    super('UNAUTHORIZED_SERVICE_PROXY', message, 403, options);
  }
}

export class InvalidProxyCallbackError extends CasError {
  constructor(message = 'The proxy callback specified is invalid', options?: CasErrorOptions) {
    super('INVALID_PROXY_CALLBACK', message, 400, options);
  }
}

export class InvalidTicketError extends CasError {
  constructor(message = 'The ticket provided was not valid', options?: CasErrorOptions) {
    super('INVALID_TICKET', message, 400, options);
  }
}

export class InvalidServiceError extends CasError {
  constructor(
    message = 'The service does not match the service the ticket was issued for',
    options?: CasErrorOptions,
  ) {
    super('INVALID_SERVICE', message, 400, options);
  }
}

export class InternalError extends CasError {
  constructor(message = 'An internal error occurred', options?: CasErrorOptions) {
    super('INTERNAL_ERROR', message, 500, options);
  }
}

export class UnauthorizedServiceError extends CasError {
  constructor(
    message = 'The service is not authorized to perform the proxy request',
    options?: CasErrorOptions,
  ) {
    super('UNAUTHORIZED_SERVICE', message, 403, options);
  }
}

export class BadPgtError extends CasError {
  constructor(message = 'The proxy-granting ticket is not valid', options?: CasErrorOptions) {
    super('BAD_PGT', message, 400, options);
  }
}

const constructors: Record<CasErrorCode, new (message?: string, options?: CasErrorOptions) => CasError> = {
  INVALID_REQUEST: InvalidRequestError,
  INVALID_TICKET_SPEC: InvalidTicketSpecError,
  UNAUTHORIZED_SERVICE_PROXY: UnauthorizedServiceProxyError,
  INVALID_PROXY_CALLBACK: InvalidProxyCallbackError,
  INVALID_TICKET: InvalidTicketError,
  INVALID_SERVICE: InvalidServiceError,
  INTERNAL_ERROR: InternalError,
  UNAUTHORIZED_SERVICE: UnauthorizedServiceError,
  BAD_PGT: BadPgtError,
};

/** The subclass instance for `code`, with its default public message unless one is given. */
export function createCasError(code: CasErrorCode, message?: string, options?: CasErrorOptions): CasError {
  return new constructors[code](message, options);
}

/**
 * Any thrown value as a CasError safe to render: CasErrors pass through, anything else becomes a
 * generic INTERNAL_ERROR that keeps the original only as `cause` (never in the public message).
 */
export function toCasError(error: unknown): CasError {
  if (error instanceof CasError) return error;
  return new InternalError(undefined, { cause: error });
}

/** A peer (CAS server or client) sent something that is not a valid CAS document. */
export class ProtocolParseError extends Error {
  readonly code = 'INVALID_RESPONSE' as const;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProtocolParseError';
  }
}
