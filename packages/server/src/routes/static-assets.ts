import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { STATIC_DIR } from '../views/views.ts';

/** The stylesheet, read once; CSP allows styles from this server only. */
export function registerStaticAssets(app: FastifyInstance, ctx: UsherContext): void {
  const css = readFileSync(join(STATIC_DIR, 'usher.css'));
  app.get(`${ctx.paths.static}/usher.css`, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(css),
  );
}
