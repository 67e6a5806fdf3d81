// arXiv identifiers: new style (2503.11731, 0704.0001) and old style (hep-th/9901001),
// optionally versioned (v2) or wrapped in an abs/pdf URL. Everything that stores or
// looks up a paper goes through parseArxivId so ids have one canonical form.

export interface ArxivId {
  /** Canonical id without version, e.g. "2503.11731" or "hep-th/9901001". */
  id: string;
  /** Version number when the input named one (v2 → 2). */
  version: number | null;
}

const NEW_STYLE = /^(\d{4})\.(\d{4,5})(?:v(\d+))?$/;
const OLD_STYLE = /^([a-z][a-z-]*(?:\.[A-Z]{2})?)\/(\d{7})(?:v(\d+))?$/i;
const URL_PREFIX = /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\//i;

/** Parses an arXiv id, versioned id, `arXiv:` prefixed id or arxiv.org URL; null if it is none. */
export function parseArxivId(input: string): ArxivId | null {
  let s = input.trim();
  s = s.replace(URL_PREFIX, '').replace(/^arxiv:/i, '').replace(/\.pdf$/i, '').replace(/[/?#]+$/, '');
  const modern = NEW_STYLE.exec(s);
  if (modern) {
    const month = Number(modern[1]!.slice(2));
    if (month < 1 || month > 12) return null;
    return { id: `${modern[1]}.${modern[2]}`, version: modern[3] ? Number(modern[3]) : null };
  }
  const old = OLD_STYLE.exec(s);
  if (old) {
    // Archive names are lower case; a subject class (math.AG) keeps its upper case,
    // but ids in the old scheme are canonically written without it (math/0211159).
    const archive = old[1]!.split('.')[0]!.toLowerCase();
    return { id: `${archive}/${old[2]}`, version: old[3] ? Number(old[3]) : null };
  }
  return null;
}

/** The canonical id, or null when the input is not an arXiv id. */
export function normaliseArxivId(input: string): string | null {
  return parseArxivId(input)?.id ?? null;
}

export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string, version?: number | null): string {
  return `https://arxiv.org/pdf/${id}${version ? `v${version}` : ''}`;
}
