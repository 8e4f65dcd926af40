import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UsherContext } from '../context.ts';
import { setPageHeaders } from '../http/security-headers.ts';
import { type ErrorPage, errorPageTexts } from '../views/error-pages.ts';
import { type Language, MESSAGES, type Messages } from '../views/messages/index.ts';
import { negotiateLanguage } from '../views/negotiate-language.ts';

/**
 * The language of an HTML page: `ui.language` when it names one, else the best of `ui.languages` for the
 * request's Accept-Language. Sets `Content-Language`, and `Vary: Accept-Language` when the header chose.
 */
export function pageLanguage(
  ctx: UsherContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { lang: Language; t: Messages } {
  const { language, languages } = ctx.config.ui;
  let lang: Language;
  if (language === 'auto') {
    lang = negotiateLanguage(request.headers['accept-language'], languages);
    if (languages.length > 1) addVary(reply, 'accept-language');
  } else {
    lang = language;
  }
  reply.header('content-language', lang);
  return { lang, t: MESSAGES[lang] };
}

function addVary(reply: FastifyReply, header: string): void {
  const current = reply.getHeader('vary');
  const names = typeof current === 'string' ? current.split(',').map((name) => name.trim()) : [];
  if (!names.some((name) => name.toLowerCase() === header)) {
    reply.header('vary', [...names.filter((name) => name !== ''), header].join(', '));
  }
}

export function renderError(
  ctx: UsherContext,
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  page: ErrorPage,
) {
  const { lang, t } = pageLanguage(ctx, request, reply);
  const { heading, message, detail } = errorPageTexts(t, page);
  setPageHeaders(reply);
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(ctx.views.render('error', heading, { heading, message, detail }, lang));
}
