import { parseServiceResponse } from '@usher/protocol';
import { casFailure, parseAnswer } from '../answer.ts';
import { CasClientError } from '../errors.ts';
import { fetchText } from '../fetch-text.ts';
import type { ResolvedProtocolOptions } from '../options.ts';
import { buildProxyUrl } from '../urls.ts';
import { pgtKey } from './pgt-callback.ts';

/** A proxy ticket for `targetService`, from the PGT claimed under `pgtIou` at login. */
export async function requestProxyTicket(
  options: ResolvedProtocolOptions,
  pgtIou: string,
  targetService: string,
): Promise<string> {
  const pgt = await options.pgtStore.get(pgtKey(pgtIou));
  if (pgt === undefined) {
    throw new CasClientError(
      'NO_PGT',
      'no live proxy granting ticket for this login (expired or never delivered)',
    );
  }
  const response = await fetchText(buildProxyUrl(options, pgt, targetService), options);
  const parsed = parseAnswer(response, () => parseServiceResponse(response.body, options.format));
  if (parsed.kind === 'proxySuccess') return parsed.proxyTicket;
  // The specification's own JSON example wraps a /proxy failure in authenticationFailure.
  if (parsed.kind === 'proxyFailure' || parsed.kind === 'failure') {
    const error = casFailure(parsed.code, parsed.description);
    // The server no longer knows this PGT: forget it so later calls fail fast with NO_PGT.
    if (error.code === 'BAD_PGT' || error.code === 'INVALID_TICKET')
      await options.pgtStore.delete(pgtKey(pgtIou));
    throw error;
  }
  throw new CasClientError('INVALID_RESPONSE', 'the CAS server answered /proxy with a validation success');
}
