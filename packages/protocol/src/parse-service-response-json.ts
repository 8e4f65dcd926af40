import { addAttributeValue } from './attribute-map.ts';
import { ProtocolParseError } from './errors.ts';
import type { ParsedServiceResponse, ParsedValidationSuccess } from './parse-service-response.ts';
import type { Attributes } from './service-response.ts';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A JSON scalar as the string the XML form would carry; objects keep their JSON text. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isObject(value) || Array.isArray(value)) return JSON.stringify(value);
  return undefined;
}

/** `format=JSON` responses: the same structure as XML under `serviceResponse` (section 2.5.2). */
export function parseServiceResponseJson(text: string): ParsedServiceResponse {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ProtocolParseError('malformed JSON service response', { cause: error });
  }
  const response = isObject(document) ? document['serviceResponse'] : undefined;
  if (!isObject(response))
    throw new ProtocolParseError('not a CAS service response: no serviceResponse object');
  const outcomes = ['authenticationSuccess', 'authenticationFailure', 'proxySuccess', 'proxyFailure'].filter(
    (key) => Object.hasOwn(response, key),
  );
  if (outcomes.length !== 1) {
    throw new ProtocolParseError(`serviceResponse must hold exactly one outcome, found ${outcomes.length}`);
  }
  const key = outcomes[0]!;
  const body = response[key];
  if (!isObject(body)) throw new ProtocolParseError(`${key} must be an object`);
  switch (key) {
    case 'authenticationSuccess':
      return successFromJson(body);
    case 'proxySuccess': {
      const proxyTicket = asText(body['proxyTicket']);
      if (!proxyTicket) throw new ProtocolParseError('proxySuccess without a proxyTicket');
      return { kind: 'proxySuccess', proxyTicket };
    }
    default: {
      const code = asText(body['code']);
      if (!code) throw new ProtocolParseError(`${key} without a code`);
      const description = asText(body['description']) ?? '';
      return { kind: key === 'proxyFailure' ? 'proxyFailure' : 'failure', code, description };
    }
  }
}

function successFromJson(body: JsonObject): ParsedValidationSuccess {
  const user =
    typeof body['user'] === 'string' || typeof body['user'] === 'number' ? asText(body['user']) : undefined;
  if (!user) throw new ProtocolParseError('authenticationSuccess without a user');
  const attributes: Attributes = {};
  const raw = body['attributes'];
  if (raw !== undefined && raw !== null) {
    if (!isObject(raw)) throw new ProtocolParseError('attributes must be an object');
    for (const name of Object.keys(raw)) {
      const value = raw[name];
      for (const item of Array.isArray(value) ? value : [value]) {
        const text = asText(item);
        if (text !== undefined) addAttributeValue(attributes, name, text);
      }
    }
  }
  const result: ParsedValidationSuccess = { kind: 'success', user, attributes, proxies: [] };
  const pgt = asText(body['proxyGrantingTicket']);
  if (pgt) result.proxyGrantingTicket = pgt;
  const proxies = body['proxies'];
  if (proxies !== undefined && proxies !== null) {
    if (!Array.isArray(proxies)) throw new ProtocolParseError('proxies must be an array');
    result.proxies = proxies.map(asText).filter((p): p is string => p !== undefined && p !== '');
  }
  return result;
}
