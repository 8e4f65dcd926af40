import type { FastifyReply } from 'fastify';
import type { UsherContext } from '../context.ts';
import { setPageHeaders } from '../http/security-headers.ts';

export function renderError(
  ctx: UsherContext,
  reply: FastifyReply,
  page: { status: number; heading: string; message: string; detail?: string },
) {
  setPageHeaders(reply);
  return reply
    .code(page.status)
    .type('text/html; charset=utf-8')
    .send(
      ctx.views.render('error', page.heading, {
        heading: page.heading,
        message: page.message,
        detail: page.detail,
      }),
    );
}
