import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { inflateSync } from 'node:zlib';
import { type LogoutRequest, parseLogoutRequest } from '@usher/protocol';
import { freePort } from './test-server.ts';

export interface ReceivedRequest {
  method: string;
  path: string;
  body: string;
}

/**
 * A service's single-logout endpoint on its own loopback host: records every request and answers
 * with `status`, or as `respond` says. It can be stopped and started again on the same address.
 */
export class LogoutReceiver {
  readonly received: ReceivedRequest[] = [];
  status = 200;
  respond: ((response: ServerResponse) => void) | undefined;
  private server: Server | undefined;

  private constructor(
    readonly host: string,
    readonly port: number,
    private readonly tls: { key: Buffer; cert: Buffer } | undefined,
  ) {}

  /** A receiver on a free port of `host`, not listening yet (a service that is down); HTTPS with `tls`. */
  static async on(host: string, tls?: { key: Buffer; cert: Buffer }): Promise<LogoutReceiver> {
    return new LogoutReceiver(host, await freePort(host), tls);
  }

  get origin(): string {
    return `${this.tls ? 'https' : 'http'}://${this.host}:${this.port}`;
  }

  start(): Promise<void> {
    const handle = (request: IncomingMessage, response: ServerResponse) => this.record(request, response);
    const server = this.tls ? createTlsServer(this.tls, handle) : createServer(handle);
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => resolve());
    });
  }

  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  /** The back-channel logoutRequests received (POSTed form field `logoutRequest`), parsed. */
  logoutRequests(): LogoutRequest[] {
    return this.received
      .filter((r) => r.method === 'POST')
      .map((r) => parseLogoutRequest(new URLSearchParams(r.body).get('logoutRequest') ?? ''));
  }

  private record(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        body: Buffer.concat(chunks).toString('utf8'),
      });
      if (this.respond) return this.respond(response);
      response.writeHead(this.status).end();
    });
  }
}

/** Reads a front-channel URL's `SAMLRequest` (base64 of zlib-deflated XML). */
export function frontChannelLogoutRequest(url: string): LogoutRequest {
  const encoded = new URL(url).searchParams.get('SAMLRequest') ?? '';
  return parseLogoutRequest(inflateSync(Buffer.from(encoded, 'base64')).toString('utf8'));
}
