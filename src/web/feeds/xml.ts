// Text and dates for XML feeds. Paper metadata is hostile as far as XML is concerned:
// titles carry `<`, `&` and LaTeX, and harvested text can hold control characters that
// XML 1.0 forbids outright (a feed containing one is rejected whole by strict readers).

// Characters XML 1.0 does not allow, lone surrogates included.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escaped for XML text and attribute values alike. */
export function xml(s: string): string {
  return s.replace(NOT_XML, '').replace(SPECIAL, (ch) => ENTITY[ch]!);
}

const HTML_ENTITY: Record<string, string> = { ...ENTITY, "'": '&#39;' };

/**
 * Plain text as HTML, for fields readers render as HTML (RSS descriptions): without it
 * an abstract mentioning `<script>` or `a<b` would become markup in the reader. The
 * result still goes through xml() when written into the feed.
 */
export function html(s: string): string {
  return s.replace(SPECIAL, (ch) => HTML_ENTITY[ch]!);
}

/** RFC 822 date-time as RSS 2.0 wants it (with a four-digit year, as RFC 1123 amended). */
export function rfc822(d: Date): string {
  return d.toUTCString(); // "Tue, 18 Mar 2025 00:00:00 GMT"
}

/** RFC 3339 date-time as Atom wants it, to the second. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
