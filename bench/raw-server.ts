// The baseline: a bare node:http server answering every request with the fixed CAS success body Usher
// sends for the benchmark user (and `/login` with a 302 carrying a ticket), so the ratio shows what Usher
// costs on top of Node's HTTP stack.
// Run as its own process like the server under test; reports `ready` over IPC, exits on `stop`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { renderValidationXml } from '@usher/protocol';
import { BENCH_SERVICE, BENCH_USER, type ChildReply, type ParentRequest } from './protocol.ts';

const RAW_BODY = Buffer.from(renderValidationXml({ user: BENCH_USER }));

let tickets = 0;

const server = createServer((request, response) => {
  // The first step of an SSO cycle (the cycle at a fixed rate measures its floor here): a 302 to the
  // service with a distinct ticket, as Usher answers `/login?service=…` with a TGC.
  if (request.url?.startsWith('/login')) {
    const ticket = `ST-${String(tickets++).padStart(29, '0')}`;
    response.writeHead(302, { location: `${BENCH_SERVICE}?ticket=${ticket}`, 'content-length': 0 });
    response.end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'application/xml; charset=utf-8',
    'content-length': RAW_BODY.length,
  });
  response.end(RAW_BODY);
});
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
