// Experiment input rules of E26/E29 that a schema cannot say, as pure functions: weights against the variants,
// status transitions, the winner among the variant keys. The fields themselves are schemas/experiments.ts'.
import type { Static } from 'typebox';
import { badRequest } from '../errors.js';
import type { CreateExperimentBody } from '../schemas/experiments.js';
import type { Experiment } from '../store/ports.js';

export type Status = Experiment['status'];
/** A POST /experiments body its schema accepted (names, keys, counts and value ranges are the schema's). */
export type ExperimentInput = Static<typeof CreateExperimentBody>;

/** Allowed next statuses (E29); `completed` is terminal and a no-op is not a transition. */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  active: ['paused', 'completed'],
  paused: ['active', 'completed'],
  completed: [],
};

/** Variant keys plus weights (given, or floor(100/n) with the remainder to the first variant): one weight per variant, summing to 100. */
export function validateVariants(keys: string[], weights: number[] | undefined): { key: string; weight: number }[] {
  if (weights === undefined) return keys.map((key, i) => ({ key, weight: defaultWeights(keys.length)[i] }));
  if (weights.length !== keys.length) {
    throw badRequest('INVALID_VARIANTS', `weights must be an array of ${keys.length} integers (one per variant, same order) summing to 100`);
  }
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum !== 100) throw badRequest('INVALID_VARIANTS', `weights must sum to exactly 100 (got ${sum})`);
  return keys.map((key, i) => ({ key, weight: weights[i] }));
}

/** Equal split floor(100/n), remainder to the first variant (3 variants → 34/33/33), as the tracker does. */
export function defaultWeights(n: number): number[] {
  const each = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? each + (100 - each * n) : each));
}

/** E29 step 6: the transition table. */
export function checkTransition(from: Status, to: Status): void {
  if (TRANSITIONS[from].includes(to)) return;
  const allowed = TRANSITIONS[from];
  const hint = allowed.length ? `from ${from} you can go to ${allowed.join(' or ')}` : 'completed experiments are final; create a new experiment instead';
  throw badRequest('INVALID_EXPERIMENT_STATUS', from === to ? `the experiment is already ${to}; ${hint}` : `cannot change status from ${from} to ${to}; ${hint}`);
}

/** The winner when completing: null when absent, else one of the variant keys (INVALID_VARIANTS). */
export function validateWinner(value: string | undefined, variants: { key: string }[]): string | null {
  if (value === undefined) return null;
  if (!variants.some((v) => v.key === value)) {
    throw badRequest('INVALID_VARIANTS', `winner must be one of the variant keys: ${variants.map((v) => v.key).join(', ')}`);
  }
  return value;
}
