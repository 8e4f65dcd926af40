import type { CasClientError, CasClientErrorCode } from '../errors.ts';

/** An HTTP answer, written by each adapter with its framework's own calls. */
export interface FlowReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function redirect(location: string): FlowReply {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

export function text(status: number, body: string): FlowReply {
  return {
    status,
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
    },
    body,
  };
}

const GATEWAY_TIMEOUT: readonly CasClientErrorCode[] = ['TIMEOUT'];
const BAD_GATEWAY: readonly CasClientErrorCode[] = [
  'SERVER_UNREACHABLE',
  'HTTP_ERROR',
  'INVALID_RESPONSE',
  'INTERNAL_ERROR',
  'UNKNOWN_CAS_ERROR',
];
const FORBIDDEN: readonly CasClientErrorCode[] = [
  'USERNAME_ATTRIBUTE_MISSING',
  'USERNAME_REJECTED',
  'ATTRIBUTES_REJECTED',
  'UNKNOWN_USER',
  'INACTIVE_USER',
  'PROXY_CHAIN_REJECTED',
];

/** 504/502 when the CAS server failed us, 403 when our rules refused the user, 401 for a refused ticket. */
export function statusFor(code: CasClientErrorCode): number {
  if (GATEWAY_TIMEOUT.includes(code)) return 504;
  if (BAD_GATEWAY.includes(code)) return 502;
  if (FORBIDDEN.includes(code)) return 403;
  return 401;
}

export function defaultErrorReply(error: CasClientError): FlowReply {
  return text(statusFor(error.code), `CAS login failed (${error.code}): ${error.message}\n`);
}
