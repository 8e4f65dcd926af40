import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { UsherContext } from './context.ts';
import { setCommonHeaders } from './http/security-headers.ts';
import { registerDemo } from './routes/demo.ts';
import { registerLogin } from './routes/login.ts';
import { registerLogout } from './routes/logout.ts';
import { registerMetrics } from './routes/metrics.ts';
import { renderError } from './routes/pages.ts';
import { registerProxy } from './routes/proxy.ts';
import { registerRestTickets } from './routes/rest-tickets.ts';
import { registerSamlValidate } from './routes/saml-validate.ts';
import { registerServiceValidate } from './routes/service-validate.ts';
import { registerStaticAssets } from './routes/static-assets.ts';
import { registerValidate } from './routes/validate.ts';
import { StorageUnavailableError } from './storage/types.ts';

/** The Fastify application: every CAS route registered in one place. */
export async function buildApp(
  ctx: UsherContext,
  options: { https?: { key: Buffer; cert: Buffer } } = {},
): Promise<FastifyInstance> {
  const { config } = ctx;
  const serverOptions = {
    trustProxy: trustProxySetting(config.server.trustProxy),
    bodyLimit: config.server.bodyLimit,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 256 },
  };
  const app = options.https
    ? (Fastify({ ...serverOptions, https: options.https }) as unknown as FastifyInstance)
    : Fastify(serverOptions);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.server.bodyLimit });

  const tls = new URL(config.server.publicUrl).protocol === 'https:';
  app.addHook('onRequest', (_request, reply, done) => {
    setCommonHeaders(reply, tls);
    done();
  });

  const base = ctx.paths.base;
  registerLogin(app, ctx);
  registerLogout(app, ctx);
  registerValidate(app, ctx, `${base}/validate`);
  registerServiceValidate(app, ctx, [
    { path: `${base}/serviceValidate`, version: 2, acceptProxyTickets: false },
    { path: `${base}/p3/serviceValidate`, version: 3, acceptProxyTickets: false },
    { path: `${base}/proxyValidate`, version: 2, acceptProxyTickets: true },
    { path: `${base}/p3/proxyValidate`, version: 3, acceptProxyTickets: true },
  ]);
  registerProxy(app, ctx, `${base}/proxy`);
  registerSamlValidate(app, ctx, `${base}/samlValidate`);
  if (config.rest.enabled) registerRestTickets(app, ctx);
  registerStaticAssets(app, ctx);
  if (config.demo.enabled) registerDemo(app, ctx);
  if (config.metrics.enabled) registerMetrics(app, ctx);
  app.get(base || '/', (_request, reply) => reply.redirect(ctx.paths.login, 302));

  app.setNotFoundHandler((request, reply) => renderError(ctx, request, reply, 404, { problem: 'not-found' }));
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StorageUnavailableError) {
      ctx.logger.warn({ err: error, url: request.url.split('?')[0] }, 'storage unavailable');
      return renderError(ctx, request, reply, 503, { problem: 'storage-unavailable' });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      ctx.logger.warn(
        { code: (error as { code?: string }).code, url: request.url.split('?')[0] },
        'bad request',
      );
      return renderError(ctx, request, reply, status, { problem: 'bad-request' });
    }
    ctx.logger.error({ err: error, url: request.url.split('?')[0] }, 'unexpected error');
    return renderError(ctx, request, reply, 500, { problem: 'internal-error' });
  });
  return app;
}

/** Fastify takes a hop count as a function of the hop index. */
function trustProxySetting(
  value: boolean | number | string[],
): boolean | string[] | ((a: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}
