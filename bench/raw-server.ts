// The baselines: a bare node:http server answering every request with the fixed CAS success body Usher
// sends for the benchmark user (and `/login` with a 302 carrying a ticket), so the ratio shows what Usher
// costs on top of Node's HTTP stack; with `--fastify`, a bare Fastify app (no plugin, no hook) answering
// the same bytes, so the framework's own share shows too.
// Run as its own process like the server under test; reports `ready` over IPC, exits on `stop`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { renderValidationXml } from '@usher/protocol';
import Fastify from 'fastify';
import { BENCH_SERVICE, BENCH_USER, type ChildReply, type ParentRequest } from './protocol.ts';

const RAW_BODY = Buffer.from(renderValidationXml({ user: BENCH_USER }));
const XML_TYPE = 'application/xml; charset=utf-8';

let tickets = 0;
// The first step of an SSO cycle: a 302 to the service with a distinct ticket, as Usher answers
// `/login?service=…` with a TGC.
const loginRedirect = () => `${BENCH_SERVICE}?ticket=ST-${String(tickets++).padStart(29, '0')}`;

function nodeServer(): Server {
  return createServer((request, response) => {
    if (request.url?.startsWith('/login')) {
      response.writeHead(302, { location: loginRedirect(), 'content-length': 0 });
      response.end();
      return;
    }
    response.writeHead(200, { 'content-type': XML_TYPE, 'content-length': RAW_BODY.length });
    response.end(RAW_BODY);
  });
}

async function fastifyServer(): Promise<Server> {
  const app = Fastify();
  app.get('/login', (_request, reply) => reply.redirect(loginRedirect(), 302));
  app.get('/serviceValidate', (_request, reply) => reply.type(XML_TYPE).send(RAW_BODY));
  await app.ready();
  return app.server;
}

const { values } = parseArgs({ options: { fastify: { type: 'boolean', default: false } } });
const server = values.fastify ? await fastifyServer() : nodeServer();
server.keepAliveTimeout = 60_000;

function send(message: ChildReply): void {
  process.send?.(message);
}

function stop(): void {
  server.closeAllConnections();
  server.close(() => process.exit(0));
}

process.on('message', (message: ParentRequest) => {
  if (message.type === 'stop') stop();
});
process.on('disconnect', stop);
process.on('SIGTERM', stop);

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  send({ type: 'ready', url: `http://127.0.0.1:${port}`, pid: process.pid });
});
