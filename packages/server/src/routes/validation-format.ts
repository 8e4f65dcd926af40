import {
  renderValidationJson,
  renderValidationXml,
  type ValidationFailure,
  type ValidationSuccess,
} from '@usher/protocol';
import type { FastifyReply } from 'fastify';
import { textParam } from '../http/params.ts';

export type ResponseFormat = 'XML' | 'JSON';

/** CAS 3.0 §2.5.1 `format`: XML unless JSON is asked for (any case; unknown or unusable values fall back to XML). */
export function formatParam(query: unknown): ResponseFormat {
  let value: string | undefined;
  try {
    value = textParam(query, 'format', 16);
  } catch {
    value = undefined;
  }
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
