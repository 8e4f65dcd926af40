import type { CasErrorCode } from './errors.ts';
import { escapeXml } from './escape.ts';
import { isValidXmlName } from './xml-name.ts';

/** Multi-valued user attributes; every value is a string (dates as ISO 8601, booleans as `true`/`false`). */
export type Attributes = Record<string, string[]>;

export interface ValidationSuccess {
  user: string;
  /**
   * Rendered in `cas:attributes` (CAS 3.0). The CAS 3 attributes `authenticationDate`,
   * `isFromNewLogin` and `longTermAuthenticationRequestTokenUsed` are ordinary entries here.
   */
  attributes?: Attributes;
  /** The PGT IOU, only when the proxy callback succeeded (section 2.5.4). */
  proxyGrantingTicket?: string;
  /** Proxy callback URLs, most recently visited first (section 2.6.2). */
  proxies?: string[];
}

export interface ValidationFailure {
  code: CasErrorCode;
  /** Public description; rendered as the element text (XML) or `description` (JSON). */
  description: string;
}

export interface ProxySuccess {
  proxyTicket: string;
}

export type ProxyFailure = ValidationFailure;

const OPEN = '<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">\n';
const CLOSE = '</cas:serviceResponse>\n';

function isFailure(result: object): result is ValidationFailure {
  return 'code' in result;
}

/**
 * Attributes that can be rendered: names valid as XML element names and at least one value.
 * Both formats release the same set, so a client never sees an attribute in JSON that the XML
 * form had to drop.
 */
function renderable(attributes: Attributes | undefined): [string, string[]][] {
  if (attributes === undefined) return [];
  const out: [string, string[]][] = [];
  for (const name of Object.keys(attributes)) {
    const values = attributes[name];
    if (Array.isArray(values) && values.length > 0 && isValidXmlName(name)) out.push([name, values]);
  }
  return out;
}

function checkUser(user: string): void {
  if (typeof user !== 'string' || user === '')
    throw new TypeError('a validation success needs a non-empty user');
}

/**
 * `cas:serviceResponse` for `/serviceValidate`, `/proxyValidate` and `/p3/*` (sections 2.5.2,
 * 2.5.7, 2.6.2; element order from the Appendix A schema).
 */
export function renderValidationXml(result: ValidationSuccess | ValidationFailure): string {
  if (isFailure(result)) return renderFailureXml('authenticationFailure', result);
  checkUser(result.user);
  let xml = `${OPEN}  <cas:authenticationSuccess>\n    <cas:user>${escapeXml(result.user)}</cas:user>\n`;
  const attributes = renderable(result.attributes);
  if (attributes.length > 0) {
    xml += '    <cas:attributes>\n';
    for (const [name, values] of attributes) {
      for (const value of values) xml += `      <cas:${name}>${escapeXml(String(value))}</cas:${name}>\n`;
    }
    xml += '    </cas:attributes>\n';
  }
  if (result.proxyGrantingTicket !== undefined) {
    xml += `    <cas:proxyGrantingTicket>${escapeXml(result.proxyGrantingTicket)}</cas:proxyGrantingTicket>\n`;
  }
  if (result.proxies !== undefined && result.proxies.length > 0) {
    xml += '    <cas:proxies>\n';
    for (const proxy of result.proxies) xml += `      <cas:proxy>${escapeXml(proxy)}</cas:proxy>\n`;
    xml += '    </cas:proxies>\n';
  }
  return `${xml}  </cas:authenticationSuccess>\n${CLOSE}`;
}

/** `/proxy` response (section 2.7.2). */
export function renderProxyXml(result: ProxySuccess | ProxyFailure): string {
  if (isFailure(result)) return renderFailureXml('proxyFailure', result);
  return `${OPEN}  <cas:proxySuccess>\n    <cas:proxyTicket>${escapeXml(result.proxyTicket)}</cas:proxyTicket>\n  </cas:proxySuccess>\n${CLOSE}`;
}

// The description is the element's whole text, unpadded: some clients do not trim it.
function renderFailureXml(element: string, failure: ValidationFailure): string {
  return `${OPEN}  <cas:${element} code="${escapeXml(failure.code)}">${escapeXml(failure.description)}</cas:${element}>\n${CLOSE}`;
}

/**
 * `format=JSON` (section 2.5.1). Attributes are always arrays, even single-valued ones: the
 * specification's example mixes strings and arrays, which forces every client to handle both;
 * arrays are what Apereo CAS sends and what every tolerant parser (ours included) reads.
 * Proxies keep the XML order, most recent first (the specification's JSON example lists them
 * the other way round, contradicting its own note in section 2.6.2).
 */
export function renderValidationJson(result: ValidationSuccess | ValidationFailure): string {
  if (isFailure(result)) return renderFailureJson('authenticationFailure', result);
  checkUser(result.user);
  const success: Record<string, unknown> = { user: result.user };
  const attributes = renderable(result.attributes);
  if (attributes.length > 0)
    success['attributes'] = Object.fromEntries(attributes.map(([n, v]) => [n, v.map(String)]));
  if (result.proxyGrantingTicket !== undefined) success['proxyGrantingTicket'] = result.proxyGrantingTicket;
  if (result.proxies !== undefined && result.proxies.length > 0) success['proxies'] = result.proxies;
  return safeJson({ serviceResponse: { authenticationSuccess: success } });
}

/**
 * `/proxy` as JSON. The specification shows no JSON proxy example except a failure wrapped in
 * `authenticationFailure`, which looks like a copy-paste slip; we mirror the XML element names
 * (`proxySuccess`, `proxyFailure`) and our parser accepts both.
 */
export function renderProxyJson(result: ProxySuccess | ProxyFailure): string {
  if (isFailure(result)) return renderFailureJson('proxyFailure', result);
  return safeJson({ serviceResponse: { proxySuccess: { proxyTicket: result.proxyTicket } } });
}

function renderFailureJson(key: string, failure: ValidationFailure): string {
  return safeJson({ serviceResponse: { [key]: { code: failure.code, description: failure.description } } });
}

const HTML_SENSITIVE = /[<>&\u2028\u2029]/g;

// `<`, `>`, `&` and the JavaScript line separators as \u escapes: the JSON means the same, and
// cannot be turned into markup by a browser sniffing the content type.
function safeJson(value: unknown): string {
  const json = JSON.stringify(value);
  HTML_SENSITIVE.lastIndex = 0;
  if (!HTML_SENSITIVE.test(json)) return json;
  return json.replace(HTML_SENSITIVE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
