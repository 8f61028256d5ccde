// Experiments E25–E30: create (Pro only), list, read with live results, status changes, hard delete,
// and the tracker's config. Input rules live in rules.ts, statistics in stats.ts; routes only transport.
import { newId } from '../accounts/credentials.js';
import { checkRestriction } from '../accounts/projects.js';
import { badRequest, conflict, forbidden, notFound, unauthorized } from '../errors.js';
import { experimentConversionFlags, type Flag } from '../reports/flags.js';
import type { Account, Counters, EventStore, Experiment, MetaStore, Project } from '../store/ports.js';
import { experimentsChanged, type ExperimentConfigCache, type TrackerExperiment } from './config-cache.js';
import { liveResults } from './results.js';
import { checkTransition, type ExperimentInput, type Status, validateVariants, validateWinner } from './rules.js';
import type { ExperimentResults } from './stats.js';

/** §1.7: creating experiments is the one Pro-only feature; checked before anything in the body. */
export function requirePro(account: Account): void {
  if (account.tier !== 'pro') {
    throw forbidden('creating experiments requires the pro tier; ask the operator to upgrade this account (PATCH /admin/accounts/{id} {"tier":"pro"})', 'PRO_REQUIRED');
  }
}

/** What changing experiments needs: the meta store, and the counters to tell every replica's config cache. */
export interface ExperimentDeps {
  meta: MetaStore;
  counters: Counters;
}

/**
 * E26 after the route's checks (§1.3: the tier, PROJECT_REQUIRED, missing fields, the project lookup, the body
 * schema): the weights against the variants, then the name conflict.
 */
export async function createExperiment({ meta, counters }: ExperimentDeps, account: Account, project: Project, input: ExperimentInput): Promise<Experiment> {
  requirePro(account);
  const { name, goal_event } = input;
  const variants = validateVariants(input.variants, input.weights);
  await assertNameFree(meta, project, name);
  const now = new Date().toISOString();
  const exp: Experiment = {
    id: newId('exp_'), project_id: project.id, account_id: account.id, name, variants, goal_event,
    status: 'active', winner: null, created_at: now, updated_at: now, completed_at: null,
  };
  try {
    await meta.createExperiment(exp);
  } catch (err) {
    // A concurrent create with the same name lost the race on the unique index: same answer as the pre-check.
    await assertNameFree(meta, project, name);
    throw err;
  }
  await experimentsChanged(counters, project.id);
  return exp;
}

async function assertNameFree(meta: MetaStore, project: Project, name: string): Promise<void> {
  const taken = await meta.experimentByName(project.id, name);
  if (taken) {
    throw conflict('EXPERIMENT_NAME_EXISTS', `an experiment named "${name}" already exists in project "${project.name}" (${taken.id}, ${taken.status}); pick another name or DELETE /experiments/${taken.id} first`);
  }
}

/** An experiment of the caller: 404 EXPERIMENT_NOT_FOUND when unknown (or its project is deleted), 403 when foreign. */
export async function ownedExperiment(meta: MetaStore, account: Account, id: string): Promise<Experiment> {
  const exp = await meta.getExperiment(id);
  if (!exp) throw notFound(`experiment ${id} not found; list experiments with GET /experiments?project=<name>`, 'EXPERIMENT_NOT_FOUND');
  if (exp.account_id !== account.id) throw forbidden('this experiment belongs to another account');
  const project = await meta.getProject(exp.project_id);
  if (!project || project.deleted_at) throw notFound(`experiment ${id} not found (its project was deleted)`, 'EXPERIMENT_NOT_FOUND');
  checkRestriction(account, project);
  return exp;
}

/** E28: the experiment plus results computed from the stored events, and the anomaly flag when it applies. */
export async function experimentWithResults(events: EventStore, exp: Experiment, now = Date.now()): Promise<Experiment & { results: ExperimentResults; flags?: Flag[] }> {
  const withResults = { ...exp, results: await liveResults(events, exp) };
  const flags = experimentConversionFlags(withResults, now);
  return flags.length ? { ...withResults, flags } : withResults;
}

/** E29 after the route's checks (the status, then ownership: `exp` is the caller's): the transition, then the winner. */
export async function changeStatus({ meta, counters }: ExperimentDeps, exp: Experiment, status: Status, winner: string | undefined): Promise<Experiment> {
  checkTransition(exp.status, status);
  const now = new Date().toISOString();
  const patch: Partial<Pick<Experiment, 'status' | 'winner' | 'updated_at' | 'completed_at'>> = { status, updated_at: now };
  if (status === 'completed') {
    patch.winner = validateWinner(winner, exp.variants);
    patch.completed_at = now;
  }
  await meta.updateExperiment(exp.id, patch);
  await experimentsChanged(counters, exp.project_id);
  return { ...exp, ...patch };
}

/** E30: hard delete of the configuration; stored events stay. */
export async function deleteExperiment({ meta, counters }: ExperimentDeps, account: Account, id: string): Promise<{ ok: true; deleted: string }> {
  const exp = await ownedExperiment(meta, account, id);
  await meta.deleteExperiment(exp.id);
  await experimentsChanged(counters, exp.project_id);
  return { ok: true, deleted: exp.id };
}

/**
 * E25: active experiments of the token's project. `projectOf` resolves a token to its live project
 * (null when unknown or deleted); the routes pass the ingestion directory's cached lookup.
 */
export async function trackerConfig(
  projectOf: (token: string) => Promise<{ id: string } | null>, configs: ExperimentConfigCache, token: unknown,
): Promise<{ experiments: TrackerExperiment[] }> {
  if (typeof token !== 'string' || token === '') throw badRequest('MISSING_FIELDS', 'token query parameter required: the project token (aat_…) from the tracker snippet');
  const project = await projectOf(token);
  if (!project) throw unauthorized('INVALID_TOKEN', 'invalid or revoked project token; copy data-token from the snippet of an existing project');
  return { experiments: await configs.active(project.id) };
}
