// Tier data retention (§1.5): reads already never see rows older than today − retention_days (plan.ts);
// this background job also deletes them, per account, every config.purgeIntervalMs (0 disables it).
import { accountLimits } from '../accounts/accounts.js';
import type { Config } from '../config.js';
import { BOT_TRAFFIC_KEEP_DAYS } from '../ingest/drop-counters.js';
import type { EventStore, MetaStore } from '../store/ports.js';
import { retentionFloor } from '../query/plan.js';
import { utcDay } from '../query/time.js';

export interface PurgeDeps {
  config: Config;
  meta: MetaStore;
  events: EventStore;
}

/** One pass: each account with a finite retention loses its projects' events dated before its floor. */
export async function purgeExpired(deps: PurgeDeps, now = Date.now()): Promise<{ accounts: number; projects: number }> {
  let accounts = 0;
  let projects = 0;
  // Bot-traffic statistics (not events) are kept for the longest /bot-traffic comparison, whatever the tier.
  await deps.meta.pruneBotTraffic(utcDay(now - (BOT_TRAFFIC_KEEP_DAYS - 1) * 86_400_000));
  for (const account of await deps.meta.listAccounts()) {
    const floor = retentionFloor(accountLimits(deps.config, account).retention_days, now);
    if (floor === null) continue;
    const ids = (await deps.meta.listProjects(account.id)).map((p) => p.id);
    if (ids.length === 0) continue;
    await deps.events.purgeBefore(ids, floor);
    accounts++;
    projects += ids.length;
  }
  return { accounts, projects };
}

/**
 * Run purgeExpired every `config.purgeIntervalMs` (never two passes at once); returns the stop function.
 * Failures are reported and retried on the next tick, never thrown into the server.
 */
export function startRetentionPurge(deps: PurgeDeps, onError: (err: unknown) => void): () => Promise<void> {
  const interval = deps.config.purgeIntervalMs;
  if (interval <= 0) return async () => {};
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = purgeExpired(deps).catch(onError).finally(() => { running = null; });
  };
  const timer = setInterval(tick, interval);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
