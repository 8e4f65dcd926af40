/** Ticket prefixes (CAS Protocol 3.0, sections 3.1–3.8). `TGT` identifies the SSO session behind the TGC. */
export type TicketPrefix = 'ST' | 'PT' | 'PGT' | 'PGTIOU' | 'TGT' | 'LT';

export const TICKET_PREFIXES: readonly TicketPrefix[] = ['ST', 'PT', 'PGT', 'PGTIOU', 'TGT', 'LT'];

/**
 * Total lengths including `PREFIX-`. Services MUST accept ST/PT of 32 characters and PGT/PGTIOU of
 * 64 (sections 3.1.1, 3.2.1, 3.3.1, 3.4.1), so ST/PT stay within 32 to work with strict clients.
 */
export const DEFAULT_TICKET_LENGTHS: Readonly<Record<TicketPrefix, number>> = {
  ST: 32,
  PT: 32,
  PGT: 64,
  PGTIOU: 64,
  TGT: 64,
  LT: 64,
};

export const MIN_TICKET_ENTROPY_BITS = 128;
/** Services SHOULD accept tickets up to 256 characters; nothing longer is ever useful. */
export const MAX_TICKET_LENGTH = 256;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BITS_PER_CHAR = Math.log2(ALPHABET.length);
// Largest multiple of 62 that fits in a byte: bytes at or above it are rejected so that
// `byte % 62` is uniform (rejection sampling, no modulo bias).
const REJECT_FROM = 256 - (256 % ALPHABET.length);

/**
 * Width of the issue time that leads a ticket id: milliseconds since the epoch in base62, zero-padded,
 * so that ids sort by issue time until the year 2081.
 */
export const TICKET_TIME_CHARS = 7;

/**
 * A new ticket id of exactly `length` characters: `PREFIX-`, the issue time (`now`, see
 * {@link TICKET_TIME_CHARS}), then base62 characters from the platform CSPRNG. Apereo CAS leads its ids
 * with a counter for the same reason: stores index tickets by id, and ids that grow with time land
 * together at the end of those indexes instead of on a random page each (SQLite and PostgreSQL write a
 * whole page per page touched). When the length leaves no room for the time beside 128 random bits, the
 * whole id is random. Throws a RangeError if it would carry fewer than 128 random bits (section 3.7 charset).
 */
export function generateTicketId(
  prefix: TicketPrefix,
  length: number = DEFAULT_TICKET_LENGTHS[prefix],
  now: number = Date.now(),
): string {
  if (!Number.isInteger(length) || length > MAX_TICKET_LENGTH) {
    throw new RangeError(`ticket length must be an integer of at most ${MAX_TICKET_LENGTH}, got ${length}`);
  }
  const randomChars = length - prefix.length - 1;
  if (randomChars * BITS_PER_CHAR < MIN_TICKET_ENTROPY_BITS) {
    throw new RangeError(
      `a ${prefix} ticket of length ${length} carries ${Math.floor(Math.max(0, randomChars) * BITS_PER_CHAR)} random bits; at least ${MIN_TICKET_ENTROPY_BITS} are required`,
    );
  }
  const timedRandomChars = randomChars - TICKET_TIME_CHARS;
  if (timedRandomChars * BITS_PER_CHAR < MIN_TICKET_ENTROPY_BITS)
    return `${prefix}-${randomBase62(randomChars)}`;
  return `${prefix}-${timeBase62(now)}${randomBase62(timedRandomChars)}`;
}

// Random bytes are drawn in blocks: one CSPRNG call per ticket cost 5-12 µs, a tenth of an SSO
// cycle. Each byte is used once and the block is refilled when spent.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function nextRandomByte(): number {
  if (poolOffset === POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]!;
}

function timeBase62(now: number): string {
  let rest = Math.max(0, Math.floor(now));
  let out = '';
  for (let i = 0; i < TICKET_TIME_CHARS; i++) {
    out = ALPHABET[rest % ALPHABET.length] + out;
    rest = Math.floor(rest / ALPHABET.length);
  }
  return out;
}

function randomBase62(count: number): string {
  let out = '';
  while (out.length < count) {
    const byte = nextRandomByte();
    if (byte < REJECT_FROM) out += ALPHABET[byte % ALPHABET.length];
  }
  return out;
}

/** The prefix of a ticket id (`PGTIOU-…` → `PGTIOU`), or undefined if it is not one of ours. */
export function ticketPrefixOf(id: string): TicketPrefix | undefined {
  const dash = id.indexOf('-');
  if (dash <= 0) return undefined;
  const prefix = id.slice(0, dash);
  return (TICKET_PREFIXES as readonly string[]).includes(prefix) ? (prefix as TicketPrefix) : undefined;
}

// Section 3.7 allows only A-Z, a-z, 0-9 and '-'; '.' and '_' are tolerated because Apereo CAS
// appends a host-name suffix (`ST-1-abc-cas01.example.org`) and clients must accept its tickets.
const TICKET_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Whether `id` is shaped like a CAS ticket: non-empty, at most `maxLength` characters, ticket
 * charset only. It says nothing about the prefix (see `ticketPrefixOf`) or validity.
 */
export function isWellFormedTicket(id: unknown, maxLength = MAX_TICKET_LENGTH): id is string {
  return typeof id === 'string' && id.length <= maxLength && TICKET_SHAPE.test(id);
}
