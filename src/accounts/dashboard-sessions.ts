// Dashboard sign-ins (issue 14): a person pastes an API key once and gets an opaque session id in an HttpOnly
// cookie. The id is 256 random bits, stored only as its SHA-256 with an expiry and the hash of the key it was
// opened with, so revoking that key ends the session too; sign-out deletes the row.
import { randomBytes } from 'node:crypto';
import type { Account, MetaStore } from '../store/ports.js';
import { hashKey } from './credentials.js';

/** `aad_` + 43 base64url characters. The prefix lets log redaction recognise it anywhere (http/logging.ts). */
export const newDashboardSessionId = (): string => `aad_${randomBytes(32).toString('base64url')}`;
export const isDashboardSessionShaped = (s: string): boolean => /^aad_[A-Za-z0-9_-]{43}$/.test(s);

export interface OpenedSession {
  id: string;
  expiresAt: Date;
}

/** Open a session for the account owning `apiKey` (already verified by the caller); expired rows are pruned on the way. */
export async function openDashboardSession(meta: MetaStore, account: Account, apiKey: string, ttlSec: number, now = new Date()): Promise<OpenedSession> {
  const id = newDashboardSessionId();
  const expiresAt = new Date(now.getTime() + ttlSec * 1000);
  await meta.pruneDashboardSessions(now.toISOString());
  await meta.createDashboardSession({ id_hash: hashKey(id), account_id: account.id, key_hash: hashKey(apiKey), created_at: now.toISOString(), expires_at: expiresAt.toISOString() });
  return { id, expiresAt };
}

/** The account of a live session id, with the key hash it stands for; null when unknown, expired or its key revoked. */
export async function resolveDashboardSession(meta: MetaStore, id: string, now = new Date()): Promise<{ account: Account; keyHash: string; idHash: string; expiresAt: string } | null> {
  if (!isDashboardSessionShaped(id)) return null;
  const idHash = hashKey(id);
  const found = await meta.dashboardSession(idHash, now.toISOString());
  return found ? { account: found.account, keyHash: found.session.key_hash, idHash, expiresAt: found.session.expires_at } : null;
}

export async function closeDashboardSession(meta: MetaStore, id: string): Promise<void> {
  if (isDashboardSessionShaped(id)) await meta.deleteDashboardSession(hashKey(id));
}
