import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UsherConfig } from '../config/load-config.ts';

/** The TGC: HttpOnly, SameSite=Lax, scoped to the server's path, Secure except plain-HTTP loopback dev. */
export class TicketGrantingCookie {
  readonly name: string;
  private readonly secure: boolean;
  private readonly path: string;

  constructor(config: UsherConfig) {
    const url = new URL(config.server.publicUrl);
    this.name = config.sso.cookieName;
    this.path = url.pathname.replace(/\/+$/, '') || '/';
    this.secure =
      config.sso.cookieSecure === 'auto'
        ? url.protocol === 'https:' || !isLoopback(url.hostname)
        : config.sso.cookieSecure;
  }

  read(request: FastifyRequest): string | undefined {
    return request.cookies[this.name];
  }

  set(reply: FastifyReply, value: string, maxAgeSeconds?: number): void {
    reply.setCookie(this.name, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      path: this.path,
      ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
    });
  }

  clear(reply: FastifyReply): void {
    reply.clearCookie(this.name, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: this.path });
  }
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
