// The HTML every Paperboy email shares, written for mail programs rather than browsers:
// a centred 600px table (Outlook's Word engine ignores max-width and flexbox), inline
// styles on every element (Gmail drops <head> styles in some views), and a small <style>
// block that only improves things where it is honoured — dark colours for clients that
// report prefers-color-scheme (Apple Mail, Outlook.com via [data-ogsc]) and a full-width
// card on narrow screens. Every value goes through esc().

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** An href for an http(s) URL built by us; anything else becomes "#". */
export function href(url: string): string {
  return /^https?:\/\//i.test(url) ? esc(url) : '#';
}

export const COLORS = {
  page: '#f4f5f7', card: '#ffffff', text: '#1f2328', muted: '#59636e', line: '#e3e6ea', accent: '#0b57d0', chip: '#eef1f4',
};

const DARK_CSS = `
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  .pb-page { background: #121417 !important; }
  .pb-card { background: #1c1f24 !important; border-color: #2d3239 !important; }
  .pb-text, .pb-title a { color: #e6e8eb !important; }
  .pb-muted { color: #a3abb5 !important; }
  .pb-link { color: #8ab4f8 !important; }
  .pb-chip { background: #2a2f36 !important; color: #c9d1d9 !important; }
  .pb-rule { border-color: #2d3239 !important; }
}
[data-ogsc] .pb-page { background: #121417 !important; }
[data-ogsc] .pb-card { background: #1c1f24 !important; }
[data-ogsc] .pb-text, [data-ogsc] .pb-title a { color: #e6e8eb !important; }
[data-ogsc] .pb-muted { color: #a3abb5 !important; }
[data-ogsc] .pb-link { color: #8ab4f8 !important; }
@media only screen and (max-width: 620px) { .pb-wide { width: 100% !important; } .pb-card { border-radius: 0 !important; } .pb-pad { padding: 18px 16px !important; } }
`;

export interface FrameOptions {
  /** The document title (not shown). */
  title: string;
  /** The preview line inbox lists show after the subject. */
  preheader: string;
  /** Already-escaped HTML of the card's content. */
  body: string;
  /** Already-escaped HTML under the card: why this mail came, how to leave. */
  footer: string;
}

export function frame(o: FrameOptions): string {
  const font = `font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif`;
  return `<!DOCTYPE html>
<html lang="en" xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${esc(o.title)}</title>
<style>${DARK_CSS}</style>
</head>
<body class="pb-page" style="margin: 0; padding: 0; background: ${COLORS.page}; ${font};">
<div style="display: none; max-height: 0; overflow: hidden; mso-hide: all;">${esc(o.preheader)}</div>
<table role="presentation" class="pb-page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background: ${COLORS.page};">
<tr><td align="center" style="padding: 24px 8px;">
<table role="presentation" class="pb-card pb-wide" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 600px; max-width: 600px; background: ${COLORS.card}; border: 1px solid ${COLORS.line}; border-radius: 12px;">
<tr><td class="pb-pad pb-text" style="padding: 24px 28px; color: ${COLORS.text}; font-size: 15px; line-height: 1.5; ${font};">
${o.body}
</td></tr>
</table>
<table role="presentation" class="pb-wide" width="600" cellpadding="0" cellspacing="0" border="0" style="width: 600px; max-width: 600px;">
<tr><td class="pb-muted" style="padding: 16px 28px; color: ${COLORS.muted}; font-size: 12px; line-height: 1.5; ${font};">
${o.footer}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>`;
}

/** A button that is a plain link, so it works in every client (and with images off). */
export function button(url: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin: 20px 0;"><tr>
<td style="background: ${COLORS.accent}; border-radius: 8px;"><a class="pb-button" href="${href(url)}" style="display: inline-block; padding: 11px 20px; color: #ffffff; font-weight: 600; text-decoration: none;">${esc(label)}</a></td>
</tr></table>`;
}
