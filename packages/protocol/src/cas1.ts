import { ProtocolParseError } from './errors.ts';

export type ParsedCas1Response = { kind: 'success'; user: string } | { kind: 'failure' };

// A CAS 1 client reads the second line as the user name: a line break inside the name would let
// `admin\nanything` be read as `admin`. Such characters become U+FFFD instead.
const LINE_BREAKS = /[\n\v\f\r\u0085\u2028\u2029]/g;

/** `/validate` success (CAS Protocol 3.0, section 2.4.2): `yes<LF><user><LF>`. */
export function renderCas1Success(user: string): string {
  return `yes\n${user.replace(LINE_BREAKS, '\uFFFD')}\n`;
}

/** `/validate` failure: `no<LF><LF>`, as every CAS 1 server has sent it. */
export function renderCas1Failure(): string {
  return 'no\n\n';
}

/** Reads a `/validate` answer; tolerates CRLF and surrounding whitespace. */
export function parseCas1Response(body: string): ParsedCas1Response {
  const lines = body.replace(/^\uFEFF/, '').split(/\r?\n/);
  const verdict = lines[0]?.trim();
  if (verdict === 'no') return { kind: 'failure' };
  if (verdict === 'yes') {
    const user = lines[1]?.trim();
    if (!user) throw new ProtocolParseError('CAS 1 response says yes but names no user');
    return { kind: 'success', user };
  }
  throw new ProtocolParseError('not a CAS 1 response: the first line is neither "yes" nor "no"');
}
