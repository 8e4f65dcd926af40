import { renderProxyJson, renderProxyXml } from '@usher/protocol';
import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { textParam } from '../http/params.ts';
import { requestProxyTicket } from '../proxy/proxy-ticket-request.ts';
import { casFailure } from './cas-failure.ts';
import { formatParam } from './validation-format.ts';

/** `/proxy?pgt=…&targetService=…` (CAS 3.0 §2.7): `cas:proxySuccess` or `cas:proxyFailure`. */
export function registerProxy(app: FastifyInstance, ctx: UsherContext, path: string): void {
  app.get(path, async (request, reply) => {
    const json = formatParam(request.query) === 'JSON';
    let result: Parameters<typeof renderProxyXml>[0];
    let status = 200;
    try {
      const pgt = textParam(request.query, 'pgt', 1024);
      const proxyTicket = await requestProxyTicket(ctx, pgt, textParam(request.query, 'targetService'));
      result = { proxyTicket };
    } catch (error) {
      const failure = casFailure(ctx, error, path);
      result = { code: failure.error.code, description: failure.error.message };
      status = failure.status;
    }
    return json
      ? reply.code(status).type('application/json; charset=utf-8').send(renderProxyJson(result))
      : reply.code(status).type('application/xml; charset=utf-8').send(renderProxyXml(result));
  });
}
