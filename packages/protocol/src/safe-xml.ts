import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ProtocolParseError } from './errors.ts';
import { strictEntityDecoder } from './xml-entities.ts';

/** A parsed element. Names are as written (`cas:user`); `localName` drops the prefix. */
export interface XmlElement {
  readonly name: string;
  readonly localName: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** The element's own text (CDATA included), untrimmed; see `textContent` for descendants too. */
  readonly text: string;
  /** Child elements and text segments in document order. */
  readonly content: readonly (XmlElement | string)[];
}

export interface SafeXmlOptions {
  /** Largest accepted input, in UTF-8 bytes. Default 1 MiB. */
  maxBytes?: number;
}

export const DEFAULT_MAX_XML_BYTES = 1024 * 1024;

// Every element and attribute name is prefixed with a middle dot while parsing, so that no name
// from the document (`__proto__`, `constructor`, `toString`...) can ever be used as a bare
// property key by the parser, and nothing is refused for its name. U+00B7 cannot start an XML
// name, so stripping leading dots restores the name exactly (the parser may apply it twice).
const MARK = '\u00B7';
const MARKS = /^\u00B7+/;

const parser = new XMLParser({
  transformTagName: (name) => MARK + name,
  transformAttributeName: (name) => MARK + name,
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  entityDecoder: strictEntityDecoder,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

// Markup declarations: DOCTYPE, ENTITY, ELEMENT, ATTLIST... Only comments and CDATA may follow `<!`.
const DECLARATION = /<!(?!--|\[CDATA\[)/;

/**
 * Parses untrusted XML into a plain element tree. Refuses, before any parsing, input above the
 * size cap and any DOCTYPE or other markup declaration, so no entity can be declared, let alone
 * expanded (no "billion laughs", no XXE); references resolve to the five predefined entities and
 * numeric characters only. Every failure is a ProtocolParseError.
 */
export function safeParseXml(input: string | Uint8Array, options: SafeXmlOptions = {}): XmlElement {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  // Leading blank lines before the XML declaration are common (JSP and PHP templates) and harmless.
  const text = decodeInput(input, maxBytes).replace(/^\uFEFF?\s*/, '');
  const declaration = DECLARATION.exec(text);
  if (declaration !== null) {
    const what = /^<!DOCTYPE/i.test(text.slice(declaration.index))
      ? 'DOCTYPE'
      : /^<!ENTITY/i.test(text.slice(declaration.index))
        ? 'ENTITY'
        : 'markup';
    throw new ProtocolParseError(`XML ${what} declarations are not allowed`);
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new ProtocolParseError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
  // fast-xml-parser silently drops text after the root element.
  if (text.slice(text.lastIndexOf('>') + 1).trim() !== '') {
    throw new ProtocolParseError('malformed XML: text after the root element');
  }
  let nodes: unknown;
  try {
    nodes = parser.parse(text);
  } catch (error) {
    if (error instanceof ProtocolParseError) throw error;
    throw new ProtocolParseError(`malformed XML: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const roots = convert(nodes);
  if (roots.elements.length !== 1 || roots.text.trim() !== '') {
    throw new ProtocolParseError('malformed XML: a document must have exactly one root element');
  }
  return roots.elements[0]!;
}

export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/** Enforces a UTF-8 size cap on a string or byte body and returns it as text. */
export function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  if (typeof input !== 'string') {
    if (input.byteLength > maxBytes) throw new ProtocolParseError(`input exceeds ${maxBytes} bytes`);
    return new TextDecoder().decode(input);
  }
  // Cheap bounds first: a UTF-8 encoding has between 1 and 3 bytes per UTF-16 code unit.
  if (input.length > maxBytes || (input.length * 3 > maxBytes && utf8ByteLength(input) > maxBytes)) {
    throw new ProtocolParseError(`input exceeds ${maxBytes} bytes`);
  }
  return input;
}

function convert(nodes: unknown): { elements: XmlElement[]; text: string; content: (XmlElement | string)[] } {
  const elements: XmlElement[] = [];
  const content: (XmlElement | string)[] = [];
  let text = '';
  if (!Array.isArray(nodes)) return { elements, text, content };
  for (const node of nodes) {
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === ':@') continue;
      if (key === '#text') {
        const segment = String(record[key]);
        text += segment;
        content.push(segment);
        continue;
      }
      const inner = convert(record[key]);
      const name = key.replace(MARKS, '');
      const element: XmlElement = {
        name,
        localName: localNameOf(name),
        attributes: attributesOf(record[':@']),
        children: inner.elements,
        text: inner.text,
        content: inner.content,
      };
      elements.push(element);
      content.push(element);
    }
  }
  return { elements, text, content };
}

function attributesOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value === null || typeof value !== 'object') return out;
  for (const [name, v] of Object.entries(value)) defineOwn(out, name.replace(MARKS, ''), String(v));
  return out;
}

/** Sets `key` as an own data property, so that names like `__proto__` cannot touch prototypes. */
export function defineOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function localNameOf(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Attribute by local name (`code`, or `x:code` written by an odd server). */
export function attributeOf(element: XmlElement, localName: string): string | undefined {
  const direct = element.attributes[localName];
  if (direct !== undefined && Object.hasOwn(element.attributes, localName)) return direct;
  for (const name of Object.keys(element.attributes)) {
    if (!name.startsWith('xmlns') && localNameOf(name) === localName) return element.attributes[name];
  }
  return undefined;
}

export function childrenNamed(element: XmlElement, localName: string): XmlElement[] {
  return element.children.filter((child) => child.localName === localName);
}

export function childNamed(element: XmlElement, localName: string): XmlElement | undefined {
  return element.children.find((child) => child.localName === localName);
}

/** All text of the element and its descendants, in document order. */
export function textContent(element: XmlElement): string {
  if (element.children.length === 0) return element.text;
  let text = '';
  for (const part of element.content) text += typeof part === 'string' ? part : textContent(part);
  return text;
}
