import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A proxying service's pgtUrl endpoint on its own loopback host, over HTTPS with the given key and
 * certificate (plain HTTP without). Records every PGT it is sent, whatever it answers; `/fail` answers 500, `/slow` never
 * answers, `/redirect` answers 302.
 */
export class PgtCallbackServer {
  /** PGT by IOU, as the CAS server delivered them. */
  readonly received = new Map<string, string>();
  readonly requests: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(host: string, tls?: { key: Buffer; cert: Buffer }): Promise<PgtCallbackServer> {
    const handler = (request: IncomingMessage, response: ServerResponse) =>
      callback.handle(request, response);
    const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    const { port } = server.address() as AddressInfo;
    const callback = new PgtCallbackServer(server, `${tls ? 'https' : 'http'}://${host}:${port}`);
    return callback;
  }

  url(path = '/proxy-callback'): string {
    return `${this.origin}${path}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    this.requests.push(url.pathname + url.search);
    const pgtId = url.searchParams.get('pgtId');
    const pgtIou = url.searchParams.get('pgtIou');
    if (pgtId && pgtIou) this.received.set(pgtIou, pgtId);
    if (url.pathname === '/slow') return;
    if (url.pathname === '/fail') return void response.writeHead(500).end();
    if (url.pathname === '/redirect') return void response.writeHead(302, { location: '/' }).end();
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  }
}
