// What the pages behind emailed links share: they are for one person, so no cache keeps
// them or indexes them (the site's Referrer-Policy, strict-origin-when-cross-origin,
// already keeps their token from other sites); and a link that does not work gets a page
// saying why and what to do, never a stack trace.

import type { Context } from 'hono';
import type { LinkFailure } from '../../subscriptions/service.js';
import { errorPage } from './layout.js';

export function personalPage(c: Context): void {
  c.header('Cache-Control', 'no-store');
  c.header('X-Robots-Tag', 'noindex');
}

const FAILURES: Record<LinkFailure, { status: 400 | 404 | 409 | 410; title: string; message: (what: string) => string }> = {
  malformed: { status: 400, title: 'This link is not valid', message: () => 'It may have been cut short when it was copied. Open it again from the email, using the whole link.' },
  forged: { status: 400, title: 'This link is not valid', message: () => 'It was not issued by this site, or it has been altered. Open it again from the email, using the whole link.' },
  expired: { status: 410, title: 'This link has expired', message: (what) => (what === 'confirm'
    ? 'Confirmation links work for a limited time. Subscribe again and you will get a new one.'
    : 'Use the link in a more recent email, or subscribe again with your address: you will get an email with a new link to your settings.') },
  used: { status: 410, title: 'This link was already used', message: () => 'Confirmation links work once. If you followed it before, your subscription is active; if you asked again since, use the link in the newest email.' },
  unknown: { status: 404, title: 'This subscription no longer exists', message: () => 'It was removed, or never confirmed in time. You can subscribe again from the home page.' },
  pending: { status: 409, title: 'This subscription is not confirmed yet', message: () => 'Follow the link in the confirmation email first.' },
};

export function linkFailurePage(c: Context, reason: LinkFailure, what: 'confirm' | 'manage' | 'unsubscribe') {
  personalPage(c);
  const f = FAILURES[reason];
  return c.html(errorPage(f.status, f.title, f.message(what)), f.status);
}
