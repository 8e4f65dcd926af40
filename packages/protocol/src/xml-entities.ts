import { ProtocolParseError } from './errors.ts';

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:#([0-9]+)|#x([0-9A-Fa-f]+)|([A-Za-z_][\w.-]*));/g;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Resolves the five predefined entities and numeric character references, nothing else: with no
 * DTD there is no other entity to expand, and a reference to one is a well-formedness error.
 */
export function decodeXmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    REFERENCE,
    (_match, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
      if (name !== undefined) {
        const value = PREDEFINED[name];
        if (value === undefined)
          throw new ProtocolParseError(
            `undefined XML entity &${name}; (only the five predefined entities are allowed)`,
          );
        return value;
      }
      const cp = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
      if (!isXmlChar(cp))
        throw new ProtocolParseError(`character reference to a character XML does not allow (${cp})`);
      return String.fromCodePoint(cp);
    },
  );
}

/** The decoder handed to fast-xml-parser in place of its own (which would honour DOCTYPE entities). */
export const strictEntityDecoder = {
  setExternalEntities(): void {},
  addInputEntities(entities: Record<string, string>): void {
    // Unreachable: safeParseXml refuses any DOCTYPE before parsing. Kept as a second lock.
    if (Object.keys(entities).length > 0)
      throw new ProtocolParseError('XML entity declarations are not allowed');
  },
  reset(): void {},
  setXmlVersion(): void {},
  decode: decodeXmlEntities,
};
