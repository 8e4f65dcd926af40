export {
  renderSamlFailure,
  renderSamlSuccess,
  type SamlFailureOptions,
  type SamlStatusCode,
  type SamlSuccessOptions,
} from './saml11-render.ts';
export {
  parseSamlValidateRequest,
  renderSamlValidateRequest,
  type SamlValidateRequest,
  type SamlValidateRequestOptions,
} from './saml11-request.ts';
export {
  type ParsedSamlFailure,
  type ParsedSamlResponse,
  type ParsedSamlSuccess,
  parseSamlResponse,
} from './saml11-response.ts';
