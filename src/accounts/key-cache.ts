// Credential → caller (account + grant), cached briefly per process; rotation, key deletion and session
// revocation invalidate every replica through the Counters' pub/sub. Credentials are looked up by hash only.
// Three kinds arrive here: aak_ API keys (the owner key or a named key), aas_ agent access tokens; aar_ refresh
// tokens are recognised only to say they are not access credentials.
import type { Account, Counters, MetaStore } from '../store/ports.js';
import { hashKey } from './credentials.js';
import { type Grant, isScope, OWNER_GRANT } from './scopes.js';

export interface Caller {
  account: Account;
  grant: Grant;
}

/** Why a credential was refused, for a 401 message that says what to do. */
export type Refusal = 'unknown' | 'expired' | 'refresh_token';

type Entry = { caller: Caller; expiresAt: string | null } | { refusal: Refusal; expiresAt: null };

/** How often last-used times are written per credential (one write a minute at most). */
const TOUCH_EVERY_MS = 60_000;

const scopesOf = (stored: string[]) => stored.filter(isScope);

export class KeyCache {
  private cache = new Map<string, { entry: Entry; at: number }>();
  private touched = new Map<string, number>();
  constructor(private readonly meta: MetaStore, counters: Counters, private readonly ttlMs = 5_000) {
    counters.onInvalidate((channel, message) => {
      if (channel === 'keys') this.cache.delete(message);
      if (channel === 'accounts') this.cache.clear();
    });
  }

  /** The caller behind a credential, or why it is refused. `now` is injectable for expiry tests. */
  async resolve(credential: string, now = new Date()): Promise<Caller | Refusal> {
    if (credential.startsWith('aar_')) return 'refresh_token';
    const hash = hashKey(credential);
    const hit = this.cache.get(hash);
    const entry = hit && Date.now() - hit.at < this.ttlMs ? hit.entry : await this.load(credential, hash, now);
    if (!hit || entry !== hit.entry) {
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { entry, at: Date.now() });
    }
    if ('refusal' in entry) return entry.refusal;
    if (entry.expiresAt !== null && entry.expiresAt <= now.toISOString()) return 'expired';
    await this.touch(entry.caller.grant, now);
    return entry.caller;
  }

  /** The account of an owner-or-named key, ignoring scopes (kept for callers that only need the account). */
  async lookup(key: string): Promise<Account | null> {
    const r = await this.resolve(key);
    return typeof r === 'string' ? null : r.account;
  }

  private async load(credential: string, hash: string, now: Date): Promise<Entry> {
    if (credential.startsWith('aas_')) {
      const found = await this.meta.agentToken(hash);
      if (!found || found.token.kind !== 'access' || found.session.revoked_at !== null || found.token.retired_at !== null) return { refusal: 'unknown', expiresAt: null };
      const grant: Grant = { kind: 'agent', id: found.session.id, scopes: scopesOf(found.session.scopes), projectIds: null };
      return { caller: { account: found.account, grant }, expiresAt: found.token.expires_at };
    }
    const found = await this.meta.keyCredential(hash, now.toISOString());
    if (!found) return { refusal: 'unknown', expiresAt: null };
    if (!found.named) return { caller: { account: found.account, grant: OWNER_GRANT }, expiresAt: null };
    const k = found.named;
    return { caller: { account: found.account, grant: { kind: 'key', id: k.id, scopes: scopesOf(k.scopes), projectIds: k.project_ids } }, expiresAt: k.expires_at };
  }

  private async touch(grant: Grant, now: Date): Promise<void> {
    if (grant.id === null) return;
    const last = this.touched.get(grant.id) ?? 0;
    if (now.getTime() - last < TOUCH_EVERY_MS) return;
    this.touched.set(grant.id, now.getTime());
    if (this.touched.size > 10_000) this.touched.clear();
    if (grant.kind === 'key') await this.meta.touchNamedKey(grant.id, now.toISOString());
    else await this.meta.touchAgentSession(grant.id, now.toISOString());
  }
}
