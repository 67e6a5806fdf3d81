// Reading the XML arXiv answers with (OAI-PMH pages, Atom feeds): validation with a
// clear error, a parser configured alike for both, and accessors that tolerate the
// shapes fast-xml-parser produces (text or {#text}, one element or an array of them).

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PaperboyError } from '../errors.js';

export type XmlNode = Record<string, unknown>;

/**
 * Parses a document after validating it; `what` names it in the error message.
 * Namespace prefixes are dropped (arXiv's pages are inconsistent about them) and the
 * elements named in `arrays` always come back as arrays, even when there is one.
 */
export function parseXml(xml: string, what: string, arrays: ReadonlySet<string>): XmlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new PaperboyError('upstream_protocol', `Malformed ${what}: ${valid.err.msg} (line ${valid.err.line})`);
  const parser = new XMLParser({
    ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false,
    parseAttributeValue: false, htmlEntities: true, isArray: (name) => arrays.has(name),
  });
  return parser.parse(xml) as XmlNode;
}

/** The text of an element (the first, if several). */
export function text(v: unknown): string {
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return text((v as XmlNode)['#text']);
  return v === undefined || v === null ? '' : String(v);
}

/** An attribute of an element (the first, if several), or null. */
export function attr(v: unknown, name: string): string | null {
  const node = Array.isArray(v) ? v[0] : v;
  if (!node || typeof node !== 'object') return null;
  const a = (node as XmlNode)[`@_${name}`];
  return typeof a === 'string' ? a : null;
}

/** A whole non-negative number, or null. */
export function toInt(s: string | null): number | null {
  return s !== null && /^\s*\d+\s*$/.test(s) ? Number(s) : null;
}
