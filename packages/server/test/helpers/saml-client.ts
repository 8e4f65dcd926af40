import { renderSamlValidateRequest } from '@usher/protocol';
import { readVectorText } from '@usher/protocol/vectors';

/** The SOAP-wrapped SAML 1.1 `samlp:Request` Usher's own client sends. */
export function samlRequestBody(ticket: string, requestId = '_192.168.16.51.1024506224022'): string {
  return renderSamlValidateRequest({ ticket, requestId, issueInstant: new Date('2026-11-23T12:00:00.000Z') });
}

/** The request of Apereo's SAML 1.1 page, as other clients send it: laid out, the ticket padded with newlines. */
export function paddedSamlRequestBody(ticket: string): string {
  return readVectorText('apereo-saml11-request.xml').replace(
    'ST-1-u4hrm3td92cLxpCvrjylcas.example.com',
    ticket,
  );
}

/** POSTs a body to `/samlValidate` with the given query (`TARGET` or `service`). */
export async function postSamlValidate(
  baseUrl: string,
  query: Record<string, string> | [string, string][],
  body: string,
  contentType = 'text/xml',
): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`${baseUrl}/samlValidate?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}
