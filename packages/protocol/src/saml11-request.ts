import { ProtocolParseError } from './errors.ts';
import { escapeXml } from './escape.ts';
import {
  attributeOf,
  childNamed,
  childrenNamed,
  type SafeXmlOptions,
  safeParseXml,
  textContent,
  type XmlElement,
} from './safe-xml.ts';
import { SAML11_PROTOCOL_NS, SOAP_ENVELOPE_NS } from './saml-namespaces.ts';

export interface SamlValidateRequest {
  /** The service ticket from `samlp:AssertionArtifact`, trimmed (clients pad it with newlines). */
  ticket: string;
  requestId?: string;
  issueInstant?: string;
}

export interface SamlValidateRequestOptions {
  /** The service ticket, in `samlp:AssertionArtifact`. */
  ticket: string;
  /** `RequestID`, which the answer repeats as `InResponseTo`; an xs:ID, so it must start with a letter or `_`. */
  requestId: string;
  issueInstant: Date;
}

/**
 * What a client POSTs to `/samlValidate?TARGET=<service>` (CAS Protocol 3.0, section 4.2.2): a SOAP
 * envelope around a SAML 1.1 `samlp:Request`, on one line as Apereo's Java client sends it.
 */
export function renderSamlValidateRequest(o: SamlValidateRequestOptions): string {
  return (
    `<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP_ENVELOPE_NS}"><SOAP-ENV:Header/><SOAP-ENV:Body>` +
    `<samlp:Request xmlns:samlp="${SAML11_PROTOCOL_NS}" MajorVersion="1" MinorVersion="1" RequestID="${escapeXml(o.requestId)}" IssueInstant="${o.issueInstant.toISOString()}">` +
    `<samlp:AssertionArtifact>${escapeXml(o.ticket)}</samlp:AssertionArtifact>` +
    '</samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>'
  );
}

/**
 * The SOAP body POSTed to `/samlValidate` (CAS Protocol 3.0, sections 4.2.2–4.2.4):
 * `Envelope/Body/Request/AssertionArtifact`, any prefixes. A bare `samlp:Request` is accepted too.
 */
export function parseSamlValidateRequest(
  body: string | Uint8Array,
  options?: SafeXmlOptions,
): SamlValidateRequest {
  const root = safeParseXml(body, options);
  const request = findRequest(root);
  const artifacts = childrenNamed(request, 'AssertionArtifact');
  if (artifacts.length > 1)
    throw new ProtocolParseError('SAML request with several AssertionArtifact elements');
  const ticket = artifacts[0] === undefined ? '' : textContent(artifacts[0]).trim();
  if (ticket === '') throw new ProtocolParseError('SAML request without an AssertionArtifact');
  const result: SamlValidateRequest = { ticket };
  const requestId = attributeOf(request, 'RequestID')?.trim();
  if (requestId) result.requestId = requestId;
  const issueInstant = attributeOf(request, 'IssueInstant')?.trim();
  if (issueInstant) result.issueInstant = issueInstant;
  return result;
}

function findRequest(root: XmlElement): XmlElement {
  if (root.localName === 'Request') return root;
  if (root.localName !== 'Envelope')
    throw new ProtocolParseError(`not a SOAP envelope: root element is <${root.name}>`);
  const soapBody = childNamed(root, 'Body');
  const request = soapBody === undefined ? undefined : childNamed(soapBody, 'Request');
  if (request === undefined) throw new ProtocolParseError('SOAP envelope without Body/Request');
  return request;
}
