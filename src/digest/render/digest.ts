// The digest email: an HTML part (see mail/html.ts for why it looks the way it does)
// and a plain-text part with the same words, as multipart/alternative. Each paper shows
// its title (linked to its page here), authors, categories, a short abstract, links to
// the paper page and arXiv, and why it is in the digest. Papers repeat across thousands
// of digests, so a paper's rendered block is kept and reused; only the footer's signed
// links differ from one subscriber to the next.

import type { Paper } from '../../papers/paper.js';
import { COLORS, esc, frame, href } from '../../mail/html.js';
import { texToText } from './tex.js';

/** Signed one-click feedback links for one paper (src/personal/feedback.ts); each opens a page whose button records it. */
export interface FeedbackUrls { more: string; less: string; save: string }

export interface DigestEntry { paper: Paper; why: string; feedback?: FeedbackUrls }

/** A reason (compose.ts) that names engagement rather than newness. */
const ENGAGED = /upvote|comment|star|view/i;

export interface DigestView {
  /** `alerts`: an alert email (src/personal/alerts.ts): the same papers' blocks, its own heading and footer. */
  kind?: 'digest' | 'alerts';
  /** The subscriber's local date the digest is for. */
  date: string;
  frequency: 'daily' | 'weekly';
  entries: DigestEntry[];
  manageUrl: string;
  unsubscribeUrl: string;
  /** "cs.LG, “diffusion models”" — what the subscriber asked for. */
  topics: string;
  /** "every day at 07:00 (Europe/Paris)". */
  schedule: string;
}

export interface RenderedDigest { subject: string; html: string; text: string }

export interface DigestRendererOptions {
  baseUrl: string;
  /** Characters of abstract shown (cut at a word). */
  abstractChars?: number;
  /** Rendered papers kept for reuse. */
  cacheSize?: number;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function longDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function shortDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]!.slice(0, 3)}`;
}

export function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

function authorsLine(p: Paper, max = 5): string {
  const names = p.authors.map((a) => a.name);
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

export function createDigestRenderer(o: DigestRendererOptions) {
  const abstractChars = o.abstractChars ?? 300;
  const cacheSize = o.cacheSize ?? 5000;
  const blocks = new Map<string, { html: string; text: string }>();

  function block(e: DigestEntry, n: number): { html: string; text: string } {
    const key = `${n}\u0000${e.paper.id}\u0000${e.why}`;
    let b = blocks.get(key);
    if (b) return b;
    const p = e.paper;
    const title = texToText(p.title);
    const abstract = shorten(texToText(p.abstract), abstractChars);
    const authors = authorsLine(p);
    const page = `${o.baseUrl}/papers/${p.id}`;
    const cats = p.categories.slice(0, 4);
    // Papers from Hugging Face may have no categories (or no authors): no dangling "·".
    const byline = [authors, cats.join(', ')].filter(Boolean).join(' · ');
    // Short inline styles: papers are most of the message's bytes, and every byte is
    // quoted-printable encoded, dot-stuffed and sent a hundred thousand times.
    const html = `<tr><td class="pb-rule" style="padding:16px 0;border-top:1px solid ${COLORS.line}">
<p class="pb-title" style="margin:0 0 4px;font-size:17px;line-height:1.35;font-weight:600"><a href="${href(page)}" style="color:${COLORS.text};text-decoration:none">${n}. ${esc(title)}</a></p>
<p class="pb-muted" style="margin:0 0 6px;color:${COLORS.muted};font-size:13px">${esc(byline)}</p>
<p style="margin:0 0 6px;font-size:14px">${esc(abstract)}</p>
<p class="pb-muted" style="margin:0 0 6px;color:${COLORS.muted};font-size:13px"><i>${esc(e.why)}</i></p>
<p style="margin:0;font-size:13px"><a class="pb-link" href="${href(page)}" style="color:${COLORS.accent};font-weight:600">Read more</a> · <a class="pb-link" href="${href(p.links.abs)}" style="color:${COLORS.accent}">arXiv ${esc(p.id)}</a> · <a class="pb-link" href="${href(p.links.pdf)}" style="color:${COLORS.accent}">PDF</a></p>`;
    const text = `${n}. ${title}
   ${byline}
   ${abstract}
   ${e.why}
   Read more: ${page}
   arXiv: ${p.links.abs}
`;
    b = { html, text };
    if (blocks.size >= cacheSize) blocks.delete(blocks.keys().next().value!);
    blocks.set(key, b);
    return b;
  }

  /** The block's end: this subscriber's own feedback links (never cached: they are signed for one person). */
  function ending(e: DigestEntry): { html: string; text: string } {
    const f = e.feedback;
    if (!f) return { html: '\n</td></tr>', text: '' };
    const a = (url: string, label: string) => `<a class="pb-link" href="${href(url)}" style="color:${COLORS.accent}">${label}</a>`;
    return {
      html: `\n<p class="pb-muted" style="margin:6px 0 0;font-size:13px;color:${COLORS.muted}">${a(f.more, 'More like this')} · ${a(f.less, 'Less like this')} · ${a(f.save, 'Save')}</p>\n</td></tr>`,
      text: `   More like this: ${f.more}\n   Less like this: ${f.less}\n   Save: ${f.save}\n`,
    };
  }

  /** The email around the papers: what a digest or an alert email says of them. */
  function words(v: DigestView, first: string | null) {
    const host = new URL(o.baseUrl).host;
    if (v.kind === 'alerts') {
      const n = v.entries.length;
      return {
        heading: 'New papers you asked to hear about',
        subject: `${n === 1 ? 'Alert' : `${n} alerts`}: ${shorten(first ?? '', 70)}${n > 1 ? ` and ${n - 1} more` : ''}`,
        intro: `${n === 1 ? 'A paper' : `${n} papers`} by people you follow, or new versions of papers you saved.`,
        because: `You receive these alerts because you follow authors or saved papers at`,
        manageLabel: 'Choose which alerts you get',
        unsubscribeLabel: 'Turn off alerts',
        host,
      };
    }
    const heading = v.frequency === 'weekly' ? 'Trending papers this week' : 'Trending papers today';
    const subject = first
      ? `${v.frequency === 'weekly' ? 'This week' : shortDate(v.date)}: ${shorten(first, 70)}${v.entries.length > 1 ? ` and ${v.entries.length - 1} more` : ''}`
      : `Nothing new on your topics (${shortDate(v.date)})`;
    // Claim attention only for the papers that got some (upvotes, comments, stars); the rest are just new.
    const noticed = v.entries.filter((e) => ENGAGED.test(e.why)).length;
    const count = (n: number) => (n === 1 ? 'paper' : `${n} papers`);
    const intro = !v.entries.length
      ? 'Nothing new matched your topics since your last digest.'
      : noticed === v.entries.length
        ? `The ${count(noticed)} drawing the most attention since your last digest.`
        : noticed === 0
          ? `${v.entries.length === 1 ? 'A newly announced paper' : `${v.entries.length} newly announced papers`} since your last digest.`
          : `${count(v.entries.length)} since your last digest: ${noticed} drawing attention, the others newly announced.`;
    return {
      heading, subject, intro: `${intro} Your topics: ${v.topics}.`, because: `You receive this digest ${v.schedule} because you subscribed at`,
      manageLabel: 'Change topics or time', unsubscribeLabel: 'Unsubscribe', host,
    };
  }

  return function render(v: DigestView): RenderedDigest {
    const when = longDate(v.date);
    const first = v.entries[0] ? texToText(v.entries[0].paper.title) : null;
    const w = words(v, first);
    const blocksOf = v.entries.map((e, i) => {
      const b = block(e, i + 1);
      const end = ending(e);
      return { html: b.html + end.html, text: b.text + end.text };
    });
    const body = `<p class="pb-muted" style="margin: 0; color: ${COLORS.muted}; font-size: 13px;">${esc(when)}</p>
<h1 style="margin: 2px 0 6px; font-size: 22px; line-height: 1.3;">${esc(w.heading)}</h1>
<p class="pb-muted" style="margin: 0 0 10px; color: ${COLORS.muted}; font-size: 14px;">${esc(w.intro)}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${blocksOf.map((b) => b.html).join('\n')}
</table>`;
    const footer = `${esc(w.because)} <a class="pb-link" href="${href(o.baseUrl)}" style="color: ${COLORS.muted};">${esc(w.host)}</a>.<br>
<a class="pb-link" href="${href(v.manageUrl)}" style="color: ${COLORS.muted};">${esc(w.manageLabel)}</a> &nbsp;·&nbsp; <a class="pb-link" href="${href(v.unsubscribeUrl)}" style="color: ${COLORS.muted};">${esc(w.unsubscribeLabel)}</a>`;
    const html = frame({ title: w.heading, preheader: first ? shorten(first, 90) : w.intro, body, footer });
    const text = `${w.heading}
${when}

${w.intro}

${blocksOf.map((b) => b.text).join('\n')}
--
${w.because} ${w.host}.
${w.manageLabel}: ${v.manageUrl}
${w.unsubscribeLabel}: ${v.unsubscribeUrl}
`;
    return { subject: w.subject, html, text };
  };
}

export type DigestRenderer = ReturnType<typeof createDigestRenderer>;
