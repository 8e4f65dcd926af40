/** A SOAP-wrapped SAML 1.1 `samlp:Request` as CAS clients send it, the ticket padded with whitespace. */
export function samlRequestBody(ticket: string, requestId = '_192.168.16.51.1024506224022'): string {
  return `<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Header/>
  <SOAP-ENV:Body>
    <samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1" RequestID="${requestId}" IssueInstant="2026-11-23T12:00:00.000Z">
      <samlp:AssertionArtifact>
        ${ticket}
      </samlp:AssertionArtifact>
    </samlp:Request>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>`;
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
