export { parseCasFlag } from './booleans.ts';
export { type ParsedCas1Response, parseCas1Response, renderCas1Failure, renderCas1Success } from './cas1.ts';
export {
  BadPgtError,
  CAS_ERROR_CODES,
  CasError,
  type CasErrorCode,
  type CasErrorOptions,
  createCasError,
  InternalError,
  InvalidProxyCallbackError,
  InvalidRequestError,
  InvalidServiceError,
  InvalidTicketError,
  InvalidTicketSpecError,
  isCasErrorCode,
  ProtocolParseError,
  toCasError,
  UnauthorizedServiceError,
  UnauthorizedServiceProxyError,
} from './errors.ts';
export { escapeXml } from './escape.ts';
export {
  type LogoutRequest,
  type LogoutRequestOptions,
  parseLogoutRequest,
  renderLogoutRequest,
} from './logout-request.ts';
export {
  type ParsedProxyFailure,
  type ParsedProxySuccess,
  type ParsedServiceResponse,
  type ParsedValidationFailure,
  type ParsedValidationSuccess,
  parseServiceResponse,
  type ServiceResponseFormat,
} from './parse-service-response.ts';
export { DEFAULT_MAX_XML_BYTES, type SafeXmlOptions, safeParseXml, type XmlElement } from './safe-xml.ts';
export { CAS_ATTRIBUTE_NAMESPACE } from './saml-namespaces.ts';
export {
  type ParsedSamlFailure,
  type ParsedSamlResponse,
  type ParsedSamlSuccess,
  parseSamlResponse,
  parseSamlValidateRequest,
  renderSamlFailure,
  renderSamlSuccess,
  renderSamlValidateRequest,
  type SamlFailureOptions,
  type SamlStatusCode,
  type SamlSuccessOptions,
  type SamlValidateRequest,
  type SamlValidateRequestOptions,
} from './saml11.ts';
export {
  type CompiledServicePattern,
  compileServicePattern,
  matchesService,
  normalizeServiceUrl,
  type ServicePattern,
  sameService,
} from './service-match.ts';
export {
  type Attributes,
  type ProxyFailure,
  type ProxySuccess,
  renderProxyJson,
  renderProxyXml,
  renderValidationJson,
  renderValidationXml,
  type ValidationFailure,
  type ValidationSuccess,
} from './service-response.ts';
export {
  DEFAULT_TICKET_LENGTHS,
  generateTicketId,
  isWellFormedTicket,
  MAX_TICKET_LENGTH,
  MIN_TICKET_ENTROPY_BITS,
  TICKET_PREFIXES,
  TICKET_TIME_CHARS,
  type TicketPrefix,
  ticketPrefixOf,
} from './tickets.ts';
export { type QueryParams, withQuery } from './url.ts';
export { isValidXmlName } from './xml-name.ts';
