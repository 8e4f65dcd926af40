export type ParameterProblem = 'not-text' | 'too-long' | 'control-characters' | 'repeated';

const PROBLEM_TEXT: Record<ParameterProblem, (maxLength?: number) => string> = {
  'not-text': () => 'is not text',
  'too-long': (maxLength) => `is longer than ${maxLength} characters`,
  'control-characters': () => 'contains control characters or malformed UTF-8',
  repeated: () => 'was given more than once',
};

/**
 * A request parameter that cannot be used: repeated with different values, not text, or too long. The
 * message (English) goes into CAS protocol answers and logs; pages word `problem` in their language.
 */
export class BadParameterError extends Error {
  override readonly name = 'BadParameterError';
  constructor(
    readonly parameter: string,
    readonly problem: ParameterProblem,
    /** The limit a `too-long` value went over. */
    readonly maxLength?: number,
  ) {
    super(`Parameter "${parameter}" ${PROBLEM_TEXT[problem](maxLength)}`);
  }
}

/** Longest service URL accepted anywhere. */
export const MAX_SERVICE_LENGTH = 4096;

/**
 * One text parameter from a parsed query string or form. Repeating a parameter with the same value is
 * tolerated (sloppy clients do), with different values it is ambiguous and refused.
 */
export function textParam(source: unknown, name: string, maxLength = MAX_SERVICE_LENGTH): string | undefined {
  const value = (source as Record<string, unknown> | null | undefined)?.[name];
  if (value === undefined || value === null) return undefined;
  const single = Array.isArray(value) ? sameValues(value, name) : value;
  if (typeof single !== 'string') throw new BadParameterError(name, 'not-text');
  if (single.length > maxLength) throw new BadParameterError(name, 'too-long', maxLength);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(single)) {
    throw new BadParameterError(name, 'control-characters');
  }
  return single;
}

function sameValues(values: unknown[], name: string): unknown {
  if (values.some((v) => v !== values[0])) throw new BadParameterError(name, 'repeated');
  return values[0];
}
