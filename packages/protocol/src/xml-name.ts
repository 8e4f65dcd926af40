// XML 1.0 (5th edition) NameStartChar / NameChar without ':' (an NCName), since every element
// name we build from data gets a namespace prefix of our own.
const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = new RegExp(`^[${NAME_START}][${NAME_CHAR}]*$`, 'u');

/**
 * Whether `name` can be used as the local part of an element name (`cas:<name>`). Renderers skip
 * attributes whose names fail this test instead of emitting broken or injected markup; validate
 * attribute-release configuration with it to find such names early.
 */
export function isValidXmlName(name: string): boolean {
  return NCNAME.test(name);
}
