// One import, in two passes over the file on disk: validate every record first (a malformed one refuses the
// whole file, with its line or row number, unless skip_invalid), reserve the account's quota for what is left,
// then store it in batches — ids already stored for the project are skipped as duplicates, user ids resolved
// through the identity map, usage counted — giving way to live ingestion between batches.
import { isDrop } from '../../ingest/drop.js';
import type { EventQuotas } from '../../ingest/quota.js';
import type { IdentityResolver } from '../../ingest/identities.js';
import { usageDeltas } from '../../ingest/usage.js';
import { dialectFor } from '../../query/sql/dialects/index.js';
import { compileProjectIds } from '../../query/sql/ingest.js';
import { readFloor } from '../../query/plan.js';
import type { Account, Counters, EventRow, EventStore, ImportJob, MetaStore, TierLimits } from '../../store/ports.js';
import type { Parsed } from './rows.js';
import type { Source } from './sources.js';

export const BATCH_ROWS = 1000;
const LIVE_FIRST_MS = 100;
const YIELD_EVERY = 200;
const MAX_EXAMPLES = 10;

export interface ImportDeps {
  events: EventStore;
  meta: MetaStore;
  counters: Counters;
  quotas: EventQuotas;
  identities: IdentityResolver;
  /** Events live ingestion has waiting for a commit (the group-commit writer's queue). */
  liveDepth(): number;
}

/** The counts a job reports (ImportJob fields). */
export type Progress = Pick<ImportJob, 'rows_read' | 'rows_imported' | 'rows_skipped' | 'skipped' | 'examples'>;

/** Why a job stopped early: the message is the job's error. */
export class ImportFailed extends Error {}

export interface ImportRun {
  job: ImportJob;
  source: Source;
  account: Account;
  limits: TierLimits;
  /** After each batch with the counts so far; throws to stop the job (server closing). */
  progress(p: Progress): Promise<void>;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runImport(deps: ImportDeps, run: ImportRun): Promise<Progress> {
  const { job, source } = run;
  const p: Progress = { rows_read: 0, rows_imported: 0, rows_skipped: 0, skipped: {}, examples: [] };
  const skip = (reason: string, example?: string) => {
    p.rows_skipped++;
    p.skipped[reason] = (p.skipped[reason] ?? 0) + 1;
    if (example && p.examples.length < MAX_EXAMPLES) p.examples.push(example);
  };

  // Events before the account's retention floor would be invisible to every read and purged: left out, counted.
  const floor = readFloor({ retentionDays: run.limits.retention_days, now: Date.now() });
  const tooOld = (r: Parsed): boolean => 'row' in r && floor !== null && r.row.date < floor;

  // Pass 1: validate everything, store nothing.
  let valid = 0;
  let firstInvalid: string | null = null;
  for await (const r of source.records()) {
    p.rows_read++;
    if (tooOld(r)) skip('older_than_retention');
    else if ('row' in r) valid++;
    else if ('skip' in r) skip(r.skip);
    else {
      firstInvalid ??= `${r.at}: ${r.invalid}`;
      if (!job.options.skip_invalid) break;
      skip('invalid', `${r.at}: ${r.invalid}`);
    }
    if (p.rows_read % YIELD_EVERY === 0) await yieldToIo();
    if (p.rows_read % 50_000 === 0) await run.progress(p);
  }
  if (firstInvalid !== null && !job.options.skip_invalid) {
    throw new ImportFailed(`${firstInvalid} — nothing was imported; fix the file, or pass skip_invalid=1 (--skip-invalid) to import the valid rows and count the rest as skipped`);
  }
  await run.progress(p);

  const reserved = await deps.quotas.reserve(run.account, run.limits, valid);
  if (isDrop(reserved)) throw new ImportFailed(`${reserved.error?.message ?? 'event quota reached'} — nothing was imported (the file holds ${valid} valid events)`);

  // Pass 2: store, batch by batch.
  const d = dialectFor(deps.events);
  const projectId = job.project_id;
  if (source.identities.length) {
    for (const i of source.identities) await deps.meta.setIdentity(projectId, i.previous_id, i.canonical_id);
    await deps.counters.invalidate('identities', projectId);
  }
  let batch: EventRow[] = [];
  const seen = new Set<string>();
  const flush = async () => {
    if (!batch.length) return;
    const stored = new Set<string>();
    for (let i = 0; i < batch.length; i += 500) {
      const part = batch.slice(i, i + 500);
      let from = Infinity;
      let to = -Infinity;
      for (const r of part) {
        from = Math.min(from, r.ts);
        to = Math.max(to, r.ts);
      }
      for (const r of await deps.events.query<{ id: string }>(compileProjectIds(d, projectId, part.map((r) => r.id), from, to))) stored.add(r.id);
    }
    const fresh = batch.filter((r) => !stored.has(r.id));
    for (let i = fresh.length; i < batch.length; i++) skip('duplicate');
    if (fresh.length) {
      const canonical = await deps.identities.resolve(projectId, fresh.map((r) => r.user_id));
      for (const r of fresh) if (r.user_id !== null) r.user_id = canonical.get(r.user_id) ?? r.user_id;
      // Live ingestion first: while its writer has events waiting the import waits (they share the store's writer),
      // up to LIVE_FIRST_MS per batch, so a steady stream of live events slows an import but never stops it.
      const until = Date.now() + LIVE_FIRST_MS;
      while (deps.liveDepth() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 2));
      await deps.events.insert(fresh);
      await deps.meta.addUsage(usageDeltas(fresh));
      p.rows_imported += fresh.length;
    }
    batch = [];
    seen.clear();
    await run.progress(p);
    await yieldToIo();
  };
  try {
    let n = 0;
    for await (const r of source.records()) {
      // Parsing is synchronous work: short slices keep live requests' wait for the event loop short.
      if (++n % YIELD_EVERY === 0) await yieldToIo();
      if (!('row' in r) || tooOld(r)) continue;
      if (seen.has(r.row.id)) {
        skip('duplicate');
        continue;
      }
      seen.add(r.row.id);
      batch.push({ ...r.row, project_id: projectId });
      if (batch.length >= BATCH_ROWS) await flush();
    }
    await flush();
  } finally {
    // Count what was stored against the quota, not what was reserved (duplicates and a stop in between).
    reserved();
    if (p.rows_imported) await deps.quotas.reserve(run.account, run.limits, p.rows_imported).catch(() => null);
  }
  return p;
}
