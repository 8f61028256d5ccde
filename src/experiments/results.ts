// Per-variant counts for E28 in one SQL statement on the event store (query/sql/experiments.ts): exposures, first-exposure
// users and their conversions (a goal event at or after the user's first exposure).
import { dialectFor } from '../query/sql/dialects/index.js';
import { compileVariantCounts } from '../query/sql/experiments.js';
import type { EventStore, Experiment } from '../store/ports.js';
import { experimentResults, type ExperimentResults, type VariantCounts } from './stats.js';

export const EXPOSURE_EVENT = '$experiment_exposure';

/** Exposures, unique users and conversions per configured variant, in configured order. */
export async function variantCounts(events: EventStore, exp: Experiment): Promise<VariantCounts[]> {
  const rows = await events.query<{ variant: string; exposures: number; unique_users: number; conversions: number }>(compileVariantCounts(dialectFor(events), exp, EXPOSURE_EVENT));
  const byKey = new Map(rows.map((r) => [r.variant, r]));
  return exp.variants.map(({ key }) => {
    const r = byKey.get(key);
    return { key, exposures: Number(r?.exposures ?? 0), unique_users: Number(r?.unique_users ?? 0), conversions: Number(r?.conversions ?? 0) };
  });
}

/** The `results` object of GET /experiments/{id}. */
export async function liveResults(events: EventStore, exp: Experiment): Promise<ExperimentResults> {
  return experimentResults(await variantCounts(events, exp));
}
