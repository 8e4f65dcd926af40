import {
  renderValidationJson,
  renderValidationXml,
  type ValidationFailure,
  type ValidationSuccess,
} from '@usher/protocol';
import type { FastifyReply } from 'fastify';

export type ResponseFormat = 'XML' | 'JSON';

/** CAS 3.0 §2.5.1 `format`: XML unless JSON is asked for (any case; unknown values fall back to XML). */
export function responseFormat(value: string | undefined): ResponseFormat {
  return value?.toUpperCase() === 'JSON' ? 'JSON' : 'XML';
}

export function sendValidation(
  reply: FastifyReply,
  format: ResponseFormat,
  result: ValidationSuccess | ValidationFailure,
  status = 200,
): FastifyReply {
  if (format === 'JSON') {
    return reply.code(status).type('application/json; charset=utf-8').send(renderValidationJson(result));
  }
  return reply.code(status).type('application/xml; charset=utf-8').send(renderValidationXml(result));
}
