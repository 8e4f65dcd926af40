import type { FastifyReply } from 'fastify';

export interface PagePolicy {
  /** Origins a form on the page may post to (or redirect through) besides this server. */
  formTargets?: string[];
  /** Nonce of the one inline script allowed on the page. */
  scriptNonce?: string;
  /** Images the logout page loads to notify front-channel services. */
  imageOrigins?: string[];
}

/** Headers for HTML pages: a strict CSP, no framing, no referrer (tickets travel in URLs), no caching. */
export function setPageHeaders(reply: FastifyReply, policy: PagePolicy = {}): void {
  const formAction = ["'self'", ...(policy.formTargets ?? [])].join(' ');
  const script = policy.scriptNonce ? `'nonce-${policy.scriptNonce}'` : "'none'";
  const images = ["'self'", 'data:', ...(policy.imageOrigins ?? [])].join(' ');
  reply.header(
    'content-security-policy',
    `default-src 'none'; style-src 'self'; img-src ${images}; script-src ${script}; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
}

/** Headers every response gets. */
export function setCommonHeaders(reply: FastifyReply, tls: boolean): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
  if (tls) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
