import {
  renderCas1Failure,
  renderCas1Success,
  renderLogoutRequest,
  renderProxyJson,
  renderProxyXml,
  renderSamlFailure,
  renderSamlSuccess,
  renderSamlValidateRequest,
  renderValidationJson,
  renderValidationXml,
} from '../src/index.ts';
import type { ProtocolVector } from './index.ts';

/** What Usher renders for a vector that has a `render` input, or undefined for parse-only vectors. */
export function renderVector(v: ProtocolVector): string | undefined {
  switch (v.kind) {
    case 'validation':
      if (v.render === undefined) return undefined;
      return v.format === 'json' ? renderValidationJson(v.render) : renderValidationXml(v.render);
    case 'proxy':
      if (v.render === undefined) return undefined;
      return v.format === 'json' ? renderProxyJson(v.render) : renderProxyXml(v.render);
    case 'cas1':
      if (v.render === undefined) return undefined;
      return 'user' in v.render ? renderCas1Success(v.render.user) : renderCas1Failure();
    case 'saml-response':
      if (v.render === undefined) return undefined;
      return 'success' in v.render
        ? renderSamlSuccess(v.render.success)
        : renderSamlFailure(v.render.failure);
    case 'logout-request':
      return v.render === undefined ? undefined : renderLogoutRequest(v.render);
    case 'saml-request':
      return v.render === undefined ? undefined : renderSamlValidateRequest(v.render);
  }
}
