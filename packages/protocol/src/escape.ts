// One pass over the string: the five markup characters, the whitespace characters attribute-value
// normalization would otherwise turn into spaces (so one function is correct in text and in
// attributes), and everything XML 1.0 forbids (C0 controls, U+FFFE/U+FFFF, lone surrogates).
const NEEDS_ESCAPE =
  /[&<>"'\t\n\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const REPLACEMENTS: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/**
 * Text safe inside an XML element or a quoted attribute value. Characters that XML 1.0 cannot
 * carry at all are dropped, since any parser would reject the whole document because of them.
 */
export function escapeXml(text: string): string {
  NEEDS_ESCAPE.lastIndex = 0;
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NEEDS_ESCAPE, (ch) => REPLACEMENTS[ch] ?? '');
}
