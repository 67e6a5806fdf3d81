// The signed links in every email: confirm (single-use, expires with the pending
// subscription), manage and unsubscribe (valid `digest.linkDays`). Tokens travel in the
// query string, which the access log never records. The key is a site secret kept in the
// database, so every process and restart signs and checks alike.

import type { Config } from '../config.js';
import { publicBaseUrl } from '../config.js';
import type { Store } from '../store/store.js';
import type { Subscriber } from '../store/subscriber-store.js';
import { signToken, verifyToken, type TokenCheck, type TokenPurpose } from './tokens.js';

export interface Links {
  baseUrl: string;
  confirmUrl(s: Pick<Subscriber, 'id' | 'confirmNonce' | 'confirmExpiresAt'>): Promise<string>;
  manageUrl(s: Pick<Subscriber, 'id'>, now: Date): Promise<string>;
  unsubscribeUrl(s: Pick<Subscriber, 'id'>, now: Date): Promise<string>;
  /** Synchronous variants once the key is loaded (the digest signs thousands a second). */
  signer(): Promise<(purpose: LongLivedPurpose, id: number, now: Date) => string>;
  verify(purpose: TokenPurpose, token: unknown, now: Date): Promise<TokenCheck>;
  /** Signs feedback links (more, less, save) for one paper of one digest, issued on `date`. */
  feedbackSigner(): Promise<FeedbackSigner>;
}

/** Links valid `digest.linkDays`: settings, leaving, and turning off alert emails. */
export type LongLivedPurpose = 'manage' | 'unsubscribe' | 'alerts-off';

export type FeedbackSigner = (subscriberId: number, paperId: string, action: string, date: string, now: Date) => string;

export const PATHS = { confirm: '/subscribe/confirm', manage: '/manage', unsubscribe: '/unsubscribe', 'alerts-off': '/unsubscribe/alerts', feedback: '/feedback' } as const;

export function createLinks(store: Store, config: Config): Links {
  const baseUrl = publicBaseUrl(config);
  let key: Promise<string> | null = null;
  const secret = () => (key ??= store.secret('subscription-links').catch((e: unknown) => { key = null; throw e; }));
  const linkSeconds = config.digest.linkDays * 86_400;
  const url = (path: string, token: string) => `${baseUrl}${path}?t=${token}`;
  const signLong = (k: string, purpose: LongLivedPurpose, id: number, now: Date) =>
    url(PATHS[purpose], signToken(k, purpose, { subscriberId: id, expires: Math.floor(now.getTime() / 1000) + linkSeconds, nonce: '' }));

  return {
    baseUrl,
    async confirmUrl(s) {
      if (!s.confirmNonce || !s.confirmExpiresAt) throw new Error('no open confirmation for this subscriber');
      const expires = Math.floor(Date.parse(s.confirmExpiresAt) / 1000);
      return url(PATHS.confirm, signToken(await secret(), 'confirm', { subscriberId: s.id, expires, nonce: s.confirmNonce }));
    },
    async manageUrl(s, now) {
      return signLong(await secret(), 'manage', s.id, now);
    },
    async unsubscribeUrl(s, now) {
      return signLong(await secret(), 'unsubscribe', s.id, now);
    },
    async signer() {
      const k = await secret();
      return (purpose, id, now) => signLong(k, purpose, id, now);
    },
    async feedbackSigner() {
      const k = await secret();
      return (id, paperId, action, date, now) => {
        const token = signToken(k, `feedback:${action}:${paperId}`, { subscriberId: id, expires: Math.floor(now.getTime() / 1000) + linkSeconds, nonce: date.replaceAll('-', '') });
        return `${baseUrl}${PATHS.feedback}?a=${action}&p=${encodeURIComponent(paperId)}&t=${token}`;
      };
    },
    async verify(purpose, token, now) {
      return verifyToken(await secret(), purpose, token, now);
    },
  };
}
