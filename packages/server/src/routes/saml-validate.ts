import type { FastifyInstance } from 'fastify';
import type { UsherContext } from '../context.ts';
import { samlValidate } from '../saml/saml-validation.ts';

/** The content types SOAP 1.1 and 1.2 clients send; the body is kept as text for the safe XML parser. */
const SOAP_TYPES = ['text/xml', 'application/soap+xml', 'application/xml'];

/** `POST /samlValidate?TARGET=…` (CAS 3.0 §4.2); the body is capped by `server.bodyLimit` (413 beyond). */
export function registerSamlValidate(app: FastifyInstance, ctx: UsherContext, path: string): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(
      SOAP_TYPES,
      { parseAs: 'string', bodyLimit: ctx.config.server.bodyLimit },
      (_request, body, done) => done(null, body),
    );
    scope.post(path, async (request, reply) => {
      const answer = await samlValidate(ctx, request.query, request.body, path);
      return reply.code(answer.status).type('text/xml; charset=utf-8').send(answer.xml);
    });
  });
}
