/**
 * A CAS boolean request parameter such as `renew` or `gateway`. The specification only says "if
 * this parameter is set"; deployed clients send `renew=false` or `renew=0` meaning false, so those
 * (any case) and absent or empty values are false and anything else is true. With a repeated
 * parameter, any true occurrence wins: for `renew` that is the safe reading.
 */
export function parseCasFlag(value: string | readonly string[] | null | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== 'string') return value.some((v) => parseCasFlag(v));
  const v = value.trim().toLowerCase();
  return v !== '' && v !== 'false' && v !== '0';
}
