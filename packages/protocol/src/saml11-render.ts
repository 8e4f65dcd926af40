import { escapeXml } from './escape.ts';
import {
  CAS_ATTRIBUTE_NAMESPACE,
  SAML11_ARTIFACT_CONFIRMATION,
  SAML11_ASSERTION_NS,
  SAML11_PASSWORD_METHOD,
  SAML11_PROTOCOL_NS,
  SOAP_ENVELOPE_NS,
} from './saml-namespaces.ts';
import type { Attributes } from './service-response.ts';

export interface SamlSuccessOptions {
  /** `ResponseID`; an xs:ID, so it must start with a letter or `_`. */
  responseId: string;
  /** The `RequestID` of the request, when it had one. */
  inResponseTo?: string;
  issueInstant: Date;
  /** `Issuer` of the assertion (the CAS server's name). */
  issuer: string;
  /** `Recipient` of the response: the service (`TARGET`). */
  recipient: string;
  /** `Audience` of the assertion; defaults to `recipient`. */
  audience?: string;
  user: string;
  attributes?: Attributes;
  authenticationMethod?: string;
  authenticationInstant: Date;
  notBefore: Date;
  notOnOrAfter: Date;
  attributeNamespace?: string;
  /** `AssertionID`; a random `_<hex>` when omitted. */
  assertionId?: string;
}

export type SamlStatusCode = 'samlp:Requester' | 'samlp:Responder' | 'samlp:VersionMismatch';

export interface SamlFailureOptions {
  responseId: string;
  inResponseTo?: string;
  issueInstant: Date;
  /** Top-level SAML 1.1 status code (SAML 1.1 core, section 3.4.3.1). */
  statusCode: SamlStatusCode;
  /** Optional second-level code such as `samlp:RequestDenied`, nested in the first. */
  subStatusCode?: string;
  /** Public description, in `samlp:StatusMessage`. */
  message: string;
  recipient?: string;
}

const ENVELOPE_OPEN = `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENVELOPE_NS}">\n  <SOAP-ENV:Header/>\n  <SOAP-ENV:Body>\n`;
const ENVELOPE_CLOSE = '  </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n';
const RESPONSE_NS = `xmlns:samlp="${SAML11_PROTOCOL_NS}" xmlns:saml="${SAML11_ASSERTION_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"`;

function instant(date: Date): string {
  return date.toISOString();
}

function attr(name: string, value: string | undefined): string {
  return value === undefined ? '' : ` ${name}="${escapeXml(value)}"`;
}

function responseOpen(o: {
  responseId: string;
  inResponseTo?: string | undefined;
  issueInstant: Date;
  recipient?: string | undefined;
}): string {
  return `    <samlp:Response ${RESPONSE_NS}${attr('InResponseTo', o.inResponseTo)}${attr('IssueInstant', instant(o.issueInstant))} MajorVersion="1" MinorVersion="1"${attr('Recipient', o.recipient)}${attr('ResponseID', o.responseId)}>\n`;
}

function subject(user: string): string {
  return (
    '          <saml:Subject>\n' +
    `            <saml:NameIdentifier>${escapeXml(user)}</saml:NameIdentifier>\n` +
    '            <saml:SubjectConfirmation>\n' +
    `              <saml:ConfirmationMethod>${SAML11_ARTIFACT_CONFIRMATION}</saml:ConfirmationMethod>\n` +
    '            </saml:SubjectConfirmation>\n' +
    '          </saml:Subject>\n'
  );
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * `/samlValidate` success: a SOAP envelope holding a SAML 1.1 `samlp:Response` with one assertion
 * (CAS Protocol 3.0, section 4.2.5): conditions (validity window, audience = the service), an
 * authentication statement, and an attribute statement whose multi-valued attributes repeat
 * `saml:AttributeValue`. The attribute statement is left out when there is nothing to release,
 * since SAML 1.1 requires at least one `saml:Attribute` in it.
 */
export function renderSamlSuccess(o: SamlSuccessOptions): string {
  const ns = o.attributeNamespace ?? CAS_ATTRIBUTE_NAMESPACE;
  let xml =
    ENVELOPE_OPEN +
    responseOpen(o) +
    '      <samlp:Status>\n        <samlp:StatusCode Value="samlp:Success"/>\n      </samlp:Status>\n' +
    `      <saml:Assertion${attr('AssertionID', o.assertionId ?? randomId())}${attr('IssueInstant', instant(o.issueInstant))}${attr('Issuer', o.issuer)} MajorVersion="1" MinorVersion="1">\n` +
    `        <saml:Conditions${attr('NotBefore', instant(o.notBefore))}${attr('NotOnOrAfter', instant(o.notOnOrAfter))}>\n` +
    '          <saml:AudienceRestrictionCondition>\n' +
    `            <saml:Audience>${escapeXml(o.audience ?? o.recipient)}</saml:Audience>\n` +
    '          </saml:AudienceRestrictionCondition>\n' +
    '        </saml:Conditions>\n' +
    `        <saml:AuthenticationStatement${attr('AuthenticationInstant', instant(o.authenticationInstant))}${attr('AuthenticationMethod', o.authenticationMethod ?? SAML11_PASSWORD_METHOD)}>\n` +
    subject(o.user) +
    '        </saml:AuthenticationStatement>\n';
  const attributes = Object.entries(o.attributes ?? {}).filter(
    ([, values]) => Array.isArray(values) && values.length > 0,
  );
  if (attributes.length > 0) {
    xml += `        <saml:AttributeStatement>\n${subject(o.user)}`;
    for (const [name, values] of attributes) {
      xml += `          <saml:Attribute${attr('AttributeName', name)}${attr('AttributeNamespace', ns)}>\n`;
      for (const value of values)
        xml += `            <saml:AttributeValue>${escapeXml(String(value))}</saml:AttributeValue>\n`;
      xml += '          </saml:Attribute>\n';
    }
    xml += '        </saml:AttributeStatement>\n';
  }
  return `${xml}      </saml:Assertion>\n    </samlp:Response>\n${ENVELOPE_CLOSE}`;
}

/** `/samlValidate` failure: a `samlp:Response` with a non-success status and message, no assertion. */
export function renderSamlFailure(o: SamlFailureOptions): string {
  const code =
    o.subStatusCode === undefined
      ? `        <samlp:StatusCode${attr('Value', o.statusCode)}/>\n`
      : `        <samlp:StatusCode${attr('Value', o.statusCode)}>\n          <samlp:StatusCode${attr('Value', o.subStatusCode)}/>\n        </samlp:StatusCode>\n`;
  return (
    ENVELOPE_OPEN +
    responseOpen(o) +
    '      <samlp:Status>\n' +
    code +
    `        <samlp:StatusMessage>${escapeXml(o.message)}</samlp:StatusMessage>\n` +
    '      </samlp:Status>\n' +
    `    </samlp:Response>\n${ENVELOPE_CLOSE}`
  );
}
