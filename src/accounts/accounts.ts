// Accounts: provisioning (bootstrap, CLI, admin API), key rotation, and the GET /account view.
import { type Config, limitsFor } from '../config.js';
import type { Account, MetaStore, Tier, TierLimits } from '../store/ports.js';
import { hashKey, newApiKey, newId } from './credentials.js';

export const OWNER_EMAIL = 'owner@localhost';

export interface AccountView {
  id: string;
  email: string;
  github_login: string | null;
  tier: Tier;
  created_at: string;
  projects_count: number;
  projects_limit: number;
  tier_limits: TierLimits;
  monthly_spend_cap_dollars: number | null;
}

export function accountLimits(config: Config, account: Account): TierLimits {
  return limitsFor(config, account.tier, account.limits_override);
}

export async function accountView(config: Config, meta: MetaStore, account: Account): Promise<AccountView> {
  const limits = accountLimits(config, account);
  const projects = await meta.listProjects(account.id);
  return {
    id: account.id,
    email: account.email,
    github_login: account.github_login,
    tier: account.tier,
    created_at: account.created_at,
    projects_count: projects.length,
    projects_limit: limits.max_projects,
    tier_limits: limits,
    monthly_spend_cap_dollars: account.monthly_spend_cap_dollars,
  };
}

/** What GET /account?include=usage adds: counts to hold against tier_limits (events by receive date, API reads). */
export interface UsageView {
  /** The UTC calendar month the `this_month` counts cover, YYYY-MM. */
  month: string;
  events: { lifetime: number; this_month: number; today: number };
  reads: { lifetime: number; this_month: number; today: number };
}

export async function usageView(meta: MetaStore, account: Account, now = Date.now()): Promise<UsageView> {
  const today = new Date(now).toISOString().slice(0, 10);
  const month = today.slice(0, 7);
  const u = await meta.accountUsage(account.id, `${month}-01`, today);
  return {
    month,
    events: { lifetime: u.events, this_month: u.events_month, today: u.events_today },
    reads: { lifetime: u.reads, this_month: u.reads_month, today: u.reads_today },
  };
}

/** Create an account and its first API key; the raw key is returned once and never stored. */
export async function createAccount(
  meta: MetaStore,
  input: { email: string; tier: Tier; limits_override?: Partial<TierLimits> | null; apiKey?: string },
): Promise<{ account: Account; apiKey: string }> {
  const apiKey = input.apiKey ?? newApiKey();
  const account: Account = {
    id: newId('acc_'),
    email: input.email,
    github_login: null,
    tier: input.tier,
    limits_override: input.limits_override ?? null,
    monthly_spend_cap_dollars: null,
    created_at: new Date().toISOString(),
  };
  await meta.createAccount(account, hashKey(apiKey));
  return { account, apiKey };
}

/**
 * Decision P4: make sure an owner account exists. With AA_BOOTSTRAP_API_KEY the owner holds exactly
 * that key (idempotent across restarts); otherwise the first start creates the owner and returns its
 * new key so main.ts can print it once.
 */
export async function bootstrapOwner(config: Config, meta: MetaStore): Promise<{ account: Account; createdKey: string | null }> {
  const ownerLimits = config.ownerLimits;
  if (config.bootstrapApiKey) {
    const existing = await meta.accountByKeyHash(hashKey(config.bootstrapApiKey));
    if (existing) return { account: existing, createdKey: null };
    const owner = (await meta.listAccounts()).find((a) => a.email === OWNER_EMAIL);
    if (owner) {
      await meta.ensureKey(owner.id, hashKey(config.bootstrapApiKey));
      return { account: owner, createdKey: null };
    }
    const { account } = await createAccount(meta, { email: OWNER_EMAIL, tier: config.ownerTier, limits_override: ownerLimits, apiKey: config.bootstrapApiKey });
    return { account, createdKey: null };
  }
  const accounts = await meta.listAccounts();
  if (accounts.length > 0) return { account: accounts[0], createdKey: null };
  const { account, apiKey } = await createAccount(meta, { email: OWNER_EMAIL, tier: config.ownerTier, limits_override: ownerLimits });
  return { account, createdKey: apiKey };
}

/** E24: the calling key dies at once, a new one is returned only here. */
export async function rotateApiKey(meta: MetaStore, accountId: string, currentKey: string): Promise<string> {
  return rotateApiKeyByHash(meta, accountId, hashKey(currentKey));
}

/** E24 from a dashboard session, which knows only the hash of the key it was opened with. */
export async function rotateApiKeyByHash(meta: MetaStore, accountId: string, currentHash: string): Promise<string> {
  const fresh = newApiKey();
  await meta.rotateKey(accountId, currentHash, hashKey(fresh));
  return fresh;
}
