export {
  renderSamlFailure,
  renderSamlSuccess,
  type SamlFailureOptions,
  type SamlStatusCode,
  type SamlSuccessOptions,
} from './saml11-render.ts';
export { parseSamlValidateRequest, type SamlValidateRequest } from './saml11-request.ts';
export {
  type ParsedSamlFailure,
  type ParsedSamlResponse,
  type ParsedSamlSuccess,
  parseSamlResponse,
} from './saml11-response.ts';
