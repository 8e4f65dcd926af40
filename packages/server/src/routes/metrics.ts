import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';

/** Prometheus scrape endpoint; registered only when `metrics.enabled`, since it has no access control. */
export function registerMetrics(app: FastifyInstance, ctx: UsherContext): void {
  app.get(`${ctx.paths.base}/metrics`, async (_request, reply) =>
    reply.type(ctx.metrics.contentType).send(await ctx.metrics.metrics()),
  );
}
