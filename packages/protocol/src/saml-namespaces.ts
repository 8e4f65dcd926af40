export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SAML11_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:1.0:protocol';
export const SAML11_ASSERTION_NS = 'urn:oasis:names:tc:SAML:1.0:assertion';
export const SAML2_PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const SAML2_ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
/** The AttributeNamespace CAS servers have always used for released attributes (section 4.2.5). */
export const CAS_ATTRIBUTE_NAMESPACE = 'http://www.ja-sig.org/products/cas/';
export const SAML11_PASSWORD_METHOD = 'urn:oasis:names:tc:SAML:1.0:am:password';
export const SAML11_ARTIFACT_CONFIRMATION = 'urn:oasis:names:tc:SAML:1.0:cm:artifact';
