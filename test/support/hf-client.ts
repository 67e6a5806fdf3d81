// A small TypeScript re-statement of how Hugging Face's Python client (huggingface_hub,
// hf_api.py) calls the papers API and parses what it gets, to replay it against a real
// Paperboy server: list_daily_papers, list_papers, paper_info and read_paper, PaperInfo's
// field-by-field reading (Python's `a or b`, dict.pop semantics) and parse_datetime's
// strict timestamp format. Only what those functions do is restated here, not their code.

export class HfHubHTTPError extends Error {
  constructor(readonly status: number, url: string) {
    super(`${status} for ${url}`);
  }
}

type Dict = Record<string, unknown>;

/** Python truthiness: None, False, 0, '' and empty containers are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as Dict).length > 0;
  return true;
}
const or = (a: () => unknown, b: () => unknown) => { const x = a(); return truthy(x) ? x : b(); };
function pop(d: Dict, key: string, fallback: unknown = null): unknown {
  if (!(key in d)) return fallback;
  const v = d[key];
  delete d[key];
  return v;
}

/** parse_datetime: "YYYY-MM-DDTHH:MM:SS[.fraction]Z" only; anything else raises ValueError. */
export function parseDatetime(s: unknown): Date {
  if (typeof s !== 'string' || !s.endsWith('Z')) throw new Error(`ValueError: cannot parse ${JSON.stringify(s)} as a datetime`);
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(s);
  if (!m) throw new Error(`ValueError: cannot parse ${JSON.stringify(s)} as a datetime`);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, Number(`0.${m[7] ?? '0'}`) * 1000));
}

export interface PaperInfo {
  id: unknown; authors: unknown[] | null; published_at: Date | null; title: unknown; source: unknown; summary: unknown;
  upvotes: unknown; discussion_id: unknown; comments: unknown; submitted_at: Date | null; submitted_by: unknown;
  ai_summary: unknown; ai_keywords: unknown; github_repo: unknown; github_stars: unknown; project_page: unknown;
  /** Keys it does not know, kept as attributes ("forward compatibility"). */
  extra: Dict;
}

/** PaperInfo(**kwargs): some fields from the nested `paper` first, others from the entry only. */
export function paperInfo(input: Dict): PaperInfo {
  const kwargs = structuredClone(input);
  const paper = (pop(kwargs, 'paper', {}) ?? {}) as Dict;
  const id = or(() => pop(kwargs, 'id'), () => pop(paper, 'id'));
  const authors = or(() => pop(paper, 'authors'), () => pop(kwargs, 'authors')) as Dict[] | null;
  const publishedAt = or(() => pop(paper, 'publishedAt'), () => pop(kwargs, 'publishedAt'));
  const info: PaperInfo = {
    id,
    authors: truthy(authors) ? authors!.map((a) => pop(a, 'name')) : null,
    published_at: truthy(publishedAt) ? parseDatetime(publishedAt) : null,
    title: pop(kwargs, 'title'),
    source: pop(kwargs, 'source'),
    summary: or(() => pop(paper, 'summary'), () => pop(kwargs, 'summary')),
    upvotes: or(() => pop(paper, 'upvotes'), () => pop(kwargs, 'upvotes')),
    discussion_id: or(() => pop(paper, 'discussionId'), () => pop(kwargs, 'discussionId')),
    comments: pop(kwargs, 'numComments', 0),
    submitted_at: null,
    submitted_by: null,
    // Newer clients: read from the entry's top level only.
    ai_summary: pop(kwargs, 'ai_summary'),
    ai_keywords: pop(kwargs, 'ai_keywords'),
    github_repo: pop(kwargs, 'githubRepo'),
    github_stars: pop(kwargs, 'githubStars'),
    project_page: pop(kwargs, 'projectPage'),
    extra: {},
  };
  const submittedAt = or(() => pop(kwargs, 'publishedAt'), () => pop(kwargs, 'submittedOnDailyAt'));
  info.submitted_at = truthy(submittedAt) ? parseDatetime(submittedAt) : null;
  const by = or(() => pop(kwargs, 'submittedBy'), () => pop(kwargs, 'submittedOnDailyBy'));
  if (truthy(by)) {
    if (typeof by !== 'object') throw new Error('TypeError: User(**submittedBy) needs a mapping');
    info.submitted_by = by;
  }
  info.extra = kwargs;
  return info;
}

/** HfApi(endpoint=…) for the four paper functions. */
export function hfApi(endpoint: string) {
  const get = async (path: string, params: Record<string, string | number | undefined> = {}) => {
    const url = new URL(endpoint + path);
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const res = await fetch(url);
    if (res.status >= 400) throw new HfHubHTTPError(res.status, url.toString());
    return res;
  };
  const array = async (res: Response) => {
    const body: unknown = await res.json();
    // `for paper in r.json()`: iterating a dict would yield its keys, and PaperInfo(**"key") fails.
    if (!Array.isArray(body)) throw new Error(`TypeError: expected a list of papers, got ${typeof body}`);
    return body.map((item) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new Error('TypeError: PaperInfo(**item) needs a mapping');
      return paperInfo(item as Dict);
    });
  };
  return {
    listDailyPapers: async (o: { date?: string; week?: string; month?: string; submitter?: string; sort?: string; p?: number; limit?: number } = {}) =>
      array(await get('/api/daily_papers', o)),
    listPapers: async (query?: string) => array(await get('/api/papers/search', query ? { q: query } : {})),
    paperInfo: async (id: string) => paperInfo((await (await get(`/api/papers/${id}`)).json()) as Dict),
    readPaper: async (id: string) => (await get(`/papers/${id}.md`)).text(),
  };
}
