// Reading the forms the pages post (subscribe, manage, confirm, vote, unsubscribe). A body
// that is not a readable form (a multipart body without its boundary, or cut short)
// answers 400 with a sentence saying so, instead of the 500 the parser's exception became.

import type { Context } from 'hono';
import { errorPage } from './layout.js';

export type Form = Record<string, unknown>;

export const BAD_FORM_MESSAGE = 'The form could not be read: its body is malformed or cut short. Go back to the page, reload it and send the form again.';

/** The posted fields, or null when the body cannot be read as a form. */
export async function readForm(c: Context): Promise<Form | null> {
  try {
    return await c.req.parseBody();
  } catch {
    return null;
  }
}

export function badFormPage(c: Context): Response {
  return c.html(errorPage(400, 'That form could not be read', BAD_FORM_MESSAGE), 400) as Response;
}

export function field(form: Form, name: string): string | undefined {
  const v = form[name];
  return typeof v === 'string' ? v : undefined;
}
