import { ProtocolParseError } from './errors.ts';
import { escapeXml } from './escape.ts';
import { attributeOf, childNamed, type SafeXmlOptions, safeParseXml, textContent } from './safe-xml.ts';
import { SAML2_ASSERTION_NS, SAML2_PROTOCOL_NS } from './saml-namespaces.ts';

export interface LogoutRequestOptions {
  /** `ID`; an xs:ID, so it must start with a letter or `_`. */
  id: string;
  issueInstant: Date;
  /** `saml:NameID`; CAS servers send the literal `@NOT_USED@` (Appendix C). */
  nameId?: string;
  /** The service ticket the service session was created with. */
  sessionIndex: string;
}

export interface LogoutRequest {
  id?: string;
  issueInstant?: string;
  nameId?: string;
  sessionIndex: string;
}

/**
 * The SAML 2 `samlp:LogoutRequest` POSTed as form field `logoutRequest` for single logout
 * (CAS Protocol 3.0, section 2.3.3 and Appendix C), on one line as Apereo CAS sends it.
 */
export function renderLogoutRequest(o: LogoutRequestOptions): string {
  return (
    `<samlp:LogoutRequest xmlns:samlp="${SAML2_PROTOCOL_NS}" xmlns:saml="${SAML2_ASSERTION_NS}" ID="${escapeXml(o.id)}" Version="2.0" IssueInstant="${o.issueInstant.toISOString()}">` +
    `<saml:NameID>${escapeXml(o.nameId ?? '@NOT_USED@')}</saml:NameID>` +
    `<samlp:SessionIndex>${escapeXml(o.sessionIndex)}</samlp:SessionIndex>` +
    '</samlp:LogoutRequest>'
  );
}

/**
 * Reads a `logoutRequest` on the client side: any prefixes, values trimmed. Only the session
 * index is required; it is what maps back to the local session. Anyone can POST this form to a
 * client, so the default 1 MiB cap may well be lowered with `maxBytes`.
 */
export function parseLogoutRequest(xml: string | Uint8Array, options?: SafeXmlOptions): LogoutRequest {
  const root = safeParseXml(xml, options);
  if (root.localName !== 'LogoutRequest')
    throw new ProtocolParseError(`not a LogoutRequest: root element is <${root.name}>`);
  const index = childNamed(root, 'SessionIndex');
  const sessionIndex = index === undefined ? '' : textContent(index).trim();
  if (sessionIndex === '') throw new ProtocolParseError('LogoutRequest without a SessionIndex');
  const result: LogoutRequest = { sessionIndex };
  const id = attributeOf(root, 'ID')?.trim();
  if (id) result.id = id;
  const issueInstant = attributeOf(root, 'IssueInstant')?.trim();
  if (issueInstant) result.issueInstant = issueInstant;
  const nameIdElement = childNamed(root, 'NameID');
  const nameId = nameIdElement === undefined ? '' : textContent(nameIdElement).trim();
  if (nameId !== '') result.nameId = nameId;
  return result;
}
