import { addAttributeValue } from './attribute-map.ts';
import { ProtocolParseError } from './errors.ts';
import { parseServiceResponseJson } from './parse-service-response-json.ts';
import {
  attributeOf,
  childrenNamed,
  DEFAULT_MAX_XML_BYTES,
  decodeInput,
  type SafeXmlOptions,
  safeParseXml,
  textContent,
  type XmlElement,
} from './safe-xml.ts';
import type { Attributes } from './service-response.ts';

export interface ParsedValidationSuccess {
  kind: 'success';
  user: string;
  attributes: Attributes;
  proxyGrantingTicket?: string;
  /** Most recent proxy first, as sent. Empty for a service ticket. */
  proxies: string[];
}

export interface ParsedValidationFailure {
  kind: 'failure';
  /** As sent by the server; not necessarily one of ours. */
  code: string;
  description: string;
}

export interface ParsedProxySuccess {
  kind: 'proxySuccess';
  proxyTicket: string;
}

export interface ParsedProxyFailure {
  kind: 'proxyFailure';
  code: string;
  description: string;
}

export type ParsedServiceResponse =
  | ParsedValidationSuccess
  | ParsedValidationFailure
  | ParsedProxySuccess
  | ParsedProxyFailure;

export type ServiceResponseFormat = 'xml' | 'json';

/**
 * Reads a CAS 2/3 `serviceResponse` (validation or `/proxy`) from any CAS server. Without
 * `format`, the first non-blank character decides. Tolerant of form, strict about meaning:
 * namespace prefixes are ignored (elements match by local name), values are trimmed, and
 * attributes are read in CAS 3 (`cas:attributes`), name-value (`<cas:attribute name value/>`)
 * and RubyCAS (direct children) styles; but anything ambiguous — several users, several
 * outcomes — or not a CAS document throws ProtocolParseError.
 */
export function parseServiceResponse(
  body: string | Uint8Array,
  format?: ServiceResponseFormat,
  options: SafeXmlOptions = {},
): ParsedServiceResponse {
  const text = decodeInput(body, options.maxBytes ?? DEFAULT_MAX_XML_BYTES).replace(/^\uFEFF/, '');
  const detected = format ?? (text.trimStart().startsWith('{') ? 'json' : 'xml');
  if (detected === 'json') return parseServiceResponseJson(text);
  return fromXml(safeParseXml(text, options));
}

function fromXml(root: XmlElement): ParsedServiceResponse {
  if (root.localName !== 'serviceResponse') {
    throw new ProtocolParseError(`not a CAS service response: root element is <${root.name}>`);
  }
  const outcome = single(root, [
    'authenticationSuccess',
    'authenticationFailure',
    'proxySuccess',
    'proxyFailure',
  ]);
  switch (outcome.localName) {
    case 'authenticationSuccess':
      return successFromXml(outcome);
    case 'proxySuccess': {
      const proxyTicket = textContent(single(outcome, ['proxyTicket'])).trim();
      if (proxyTicket === '') throw new ProtocolParseError('proxySuccess with an empty proxyTicket');
      return { kind: 'proxySuccess', proxyTicket };
    }
    default: {
      const code = attributeOf(outcome, 'code')?.trim();
      if (!code) throw new ProtocolParseError(`${outcome.localName} without a code`);
      const kind = outcome.localName === 'proxyFailure' ? 'proxyFailure' : 'failure';
      return { kind, code, description: textContent(outcome).trim() };
    }
  }
}

/** The one child among `names`; none or several is an error. */
function single(parent: XmlElement, names: readonly string[]): XmlElement {
  const found = parent.children.filter((child) => names.includes(child.localName));
  if (found.length !== 1) {
    const what = names.length === 1 ? `<${names[0]}>` : `one of ${names.map((n) => `<${n}>`).join(', ')}`;
    throw new ProtocolParseError(`<${parent.name}> must contain exactly one ${what}, found ${found.length}`);
  }
  return found[0]!;
}

const STRUCTURAL = new Set(['user', 'proxyGrantingTicket', 'proxies', 'attributes']);

function successFromXml(success: XmlElement): ParsedValidationSuccess {
  const user = textContent(single(success, ['user'])).trim();
  if (user === '') throw new ProtocolParseError('authenticationSuccess with an empty user');

  const attributes: Attributes = {};
  for (const child of success.children) {
    if (child.localName === 'attributes') {
      for (const attribute of child.children) addXmlAttribute(attributes, attribute);
    } else if (!STRUCTURAL.has(child.localName)) {
      // RubyCAS style (attributes as direct children) and name-value elements outside a wrapper.
      addXmlAttribute(attributes, child);
    }
  }

  const result: ParsedValidationSuccess = { kind: 'success', user, attributes, proxies: [] };
  const pgts = childrenNamed(success, 'proxyGrantingTicket');
  if (pgts.length > 1)
    throw new ProtocolParseError('authenticationSuccess with several proxyGrantingTicket elements');
  const pgt = pgts[0] === undefined ? '' : textContent(pgts[0]).trim();
  if (pgt !== '') result.proxyGrantingTicket = pgt;
  const proxiesElements = childrenNamed(success, 'proxies');
  if (proxiesElements.length > 1)
    throw new ProtocolParseError('authenticationSuccess with several proxies elements');
  const proxies = proxiesElements[0];
  if (proxies !== undefined) {
    result.proxies = childrenNamed(proxies, 'proxy')
      .map((proxy) => textContent(proxy).trim())
      .filter((proxy) => proxy !== '');
  }
  return result;
}

function addXmlAttribute(attributes: Attributes, element: XmlElement): void {
  const name = attributeOf(element, 'name');
  const value = attributeOf(element, 'value');
  const nameValue = element.localName === 'attribute' && name !== undefined && value !== undefined;
  const [key, text] = nameValue ? [name, value] : [element.localName, textContent(element)];
  // phpCAS and others mark the attribute layout with an `attraStyle` entry; it is not data.
  if (key !== 'attraStyle') addAttributeValue(attributes, key, text.trim());
}
