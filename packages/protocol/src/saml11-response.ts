import { addAttributeValue } from './attribute-map.ts';
import { ProtocolParseError } from './errors.ts';
import {
  attributeOf,
  childNamed,
  childrenNamed,
  type SafeXmlOptions,
  safeParseXml,
  textContent,
  type XmlElement,
} from './safe-xml.ts';
import type { Attributes } from './service-response.ts';

export interface ParsedSamlSuccess {
  kind: 'success';
  user: string;
  attributes: Attributes;
  responseId?: string;
  inResponseTo?: string;
  issuer?: string;
  /** Every `saml:Audience` of the assertion's conditions; the client must find its service here. */
  audiences: string[];
  /** Raw xs:dateTime strings as sent; the client checks them against its clock. */
  notBefore?: string;
  notOnOrAfter?: string;
  authenticationInstant?: string;
  authenticationMethod?: string;
}

export interface ParsedSamlFailure {
  kind: 'failure';
  /** The status code `Value` as sent, e.g. `samlp:Responder`; with `subStatusCode` if nested. */
  statusCode: string;
  subStatusCode?: string;
  message: string;
}

export type ParsedSamlResponse = ParsedSamlSuccess | ParsedSamlFailure;

/**
 * A `/samlValidate` answer (CAS Protocol 3.0, section 4.2.5), SOAP-wrapped or bare, any prefixes
 * or default namespaces. Several assertions, several subjects naming different users, or a
 * success without a user are refused rather than guessed at.
 */
export function parseSamlResponse(body: string | Uint8Array, options?: SafeXmlOptions): ParsedSamlResponse {
  const response = findResponse(safeParseXml(body, options));
  const status = childNamed(response, 'Status');
  const code = status === undefined ? undefined : childNamed(status, 'StatusCode');
  const value = code === undefined ? undefined : attributeOf(code, 'Value')?.trim();
  if (value === undefined || value === '')
    throw new ProtocolParseError('SAML response without a status code');
  if (value.slice(value.indexOf(':') + 1) !== 'Success') {
    const failure: ParsedSamlFailure = { kind: 'failure', statusCode: value, message: '' };
    const sub = code === undefined ? undefined : childNamed(code, 'StatusCode');
    const subValue = sub === undefined ? undefined : attributeOf(sub, 'Value')?.trim();
    if (subValue) failure.subStatusCode = subValue;
    const message = status === undefined ? undefined : childNamed(status, 'StatusMessage');
    if (message !== undefined) failure.message = textContent(message).trim();
    return failure;
  }
  return successOf(response);
}

function findResponse(root: XmlElement): XmlElement {
  if (root.localName === 'Response') return root;
  if (root.localName !== 'Envelope')
    throw new ProtocolParseError(`not a SAML response: root element is <${root.name}>`);
  const soapBody = childNamed(root, 'Body');
  const response = soapBody === undefined ? undefined : childNamed(soapBody, 'Response');
  if (response === undefined) throw new ProtocolParseError('SOAP envelope without Body/Response');
  return response;
}

function successOf(response: XmlElement): ParsedSamlSuccess {
  const assertions = childrenNamed(response, 'Assertion');
  if (assertions.length !== 1)
    throw new ProtocolParseError(`SAML success must hold one assertion, found ${assertions.length}`);
  const assertion = assertions[0]!;

  const users = new Set<string>();
  const attributes: Attributes = {};
  let authentication: XmlElement | undefined;
  for (const statement of assertion.children) {
    const subject = childNamed(statement, 'Subject');
    const nameId = subject === undefined ? undefined : childNamed(subject, 'NameIdentifier');
    if (nameId !== undefined) users.add(textContent(nameId).trim());
    if (statement.localName === 'AuthenticationStatement') authentication ??= statement;
    if (statement.localName !== 'AttributeStatement') continue;
    for (const attribute of childrenNamed(statement, 'Attribute')) {
      const name = attributeOf(attribute, 'AttributeName');
      if (name === undefined) continue;
      for (const v of childrenNamed(attribute, 'AttributeValue'))
        addAttributeValue(attributes, name, textContent(v).trim());
    }
  }
  if (users.size !== 1)
    throw new ProtocolParseError(`SAML assertion must name exactly one user, found ${users.size}`);
  const user = [...users][0]!;
  if (user === '') throw new ProtocolParseError('SAML assertion with an empty NameIdentifier');

  const conditions = childNamed(assertion, 'Conditions');
  const audiences = (
    conditions === undefined ? [] : childrenNamed(conditions, 'AudienceRestrictionCondition')
  )
    .flatMap((restriction) => childrenNamed(restriction, 'Audience'))
    .map((audience) => textContent(audience).trim());
  const result: ParsedSamlSuccess = { kind: 'success', user, attributes, audiences };
  const optional: [keyof ParsedSamlSuccess, XmlElement | undefined, string][] = [
    ['responseId', response, 'ResponseID'],
    ['inResponseTo', response, 'InResponseTo'],
    ['issuer', assertion, 'Issuer'],
    ['notBefore', conditions, 'NotBefore'],
    ['notOnOrAfter', conditions, 'NotOnOrAfter'],
    ['authenticationInstant', authentication, 'AuthenticationInstant'],
    ['authenticationMethod', authentication, 'AuthenticationMethod'],
  ];
  for (const [key, element, name] of optional) {
    const value = element === undefined ? undefined : attributeOf(element, name)?.trim();
    if (value) Object.assign(result, { [key]: value });
  }
  return result;
}
