// Experiment input rules of E26/E29 as pure functions: names, variants and weights, status transitions.
import { badRequest } from '../errors.js';
import type { Experiment } from '../store/ports.js';

export const EXPERIMENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const VARIANT_KEY = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_GOAL_EVENT = 256;
/** [min, max] variants of an experiment (E26). */
export const VARIANT_COUNT = [2, 4] as const;
export const STATUSES = ['active', 'paused', 'completed'] as const;
export type Status = Experiment['status'];

/** Allowed next statuses (E29); `completed` is terminal and a no-op is not a transition. */
export const TRANSITIONS: Record<Status, readonly Status[]> = {
  active: ['paused', 'completed'],
  paused: ['active', 'completed'],
  completed: [],
};

const isMissing = (v: unknown): boolean => v === undefined || v === null;

/** Q15: the name must be present (MISSING_FIELDS) and match the pattern (INVALID_BODY). */
export function validateExperimentName(value: unknown): string {
  if (typeof value !== 'string' || !EXPERIMENT_NAME.test(value)) {
    throw badRequest('INVALID_BODY', 'name must be 1-64 characters of letters, digits, "_" or "-" (it is also the tracker\'s experiment key), e.g. "signup_cta"');
  }
  return value;
}

export function validateGoalEvent(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_GOAL_EVENT) {
    throw badRequest('INVALID_BODY', `goal_event must be a non-empty event name of at most ${MAX_GOAL_EVENT} characters, e.g. "signup"`);
  }
  return value;
}

/** Missing required fields of POST /experiments (project is checked separately, as PROJECT_REQUIRED). */
export function missingFields(body: Record<string, unknown>): string[] {
  return (['name', 'variants', 'goal_event'] as const).filter((f) => isMissing(body[f]));
}

/** Variant keys plus weights (given, or floor(100/n) with the remainder to the first variant). */
export function validateVariants(variants: unknown, weights: unknown): { key: string; weight: number }[] {
  if (!Array.isArray(variants) || variants.length < VARIANT_COUNT[0] || variants.length > VARIANT_COUNT[1]) {
    throw badRequest('INVALID_VARIANTS', `variants must be an array of ${VARIANT_COUNT[0]} to ${VARIANT_COUNT[1]} variant keys, e.g. ["control","new_cta"]; the first one is the control`);
  }
  const bad = variants.find((k) => typeof k !== 'string' || !VARIANT_KEY.test(k));
  if (bad !== undefined) {
    throw badRequest('INVALID_VARIANTS', `variant ${JSON.stringify(bad)} is not a valid key: use 1-64 letters, digits, "_" or "-" (send weights separately in "weights")`);
  }
  const keys = variants as string[];
  const dup = keys.find((k, i) => keys.indexOf(k) !== i);
  if (dup !== undefined) throw badRequest('INVALID_VARIANTS', `variant key "${dup}" appears twice; variant keys must be unique`);
  if (isMissing(weights)) return keys.map((key, i) => ({ key, weight: defaultWeights(keys.length)[i] }));
  if (!Array.isArray(weights) || weights.length !== keys.length) {
    throw badRequest('INVALID_VARIANTS', `weights must be an array of ${keys.length} integers (one per variant, same order) summing to 100`);
  }
  if (weights.some((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 100)) {
    throw badRequest('INVALID_VARIANTS', 'each weight must be an integer from 0 to 100');
  }
  const sum = (weights as number[]).reduce((s, w) => s + w, 0);
  if (sum !== 100) throw badRequest('INVALID_VARIANTS', `weights must sum to exactly 100 (got ${sum})`);
  return keys.map((key, i) => ({ key, weight: (weights as number[])[i] }));
}

/** Equal split floor(100/n), remainder to the first variant (3 variants → 34/33/33), as the tracker does. */
export function defaultWeights(n: number): number[] {
  const each = Math.floor(100 / n);
  return Array.from({ length: n }, (_, i) => (i === 0 ? each + (100 - each * n) : each));
}

/** E29 step 4: a status must be present and known (else INVALID_EXPERIMENT_STATUS). */
export function parseStatus(value: unknown): Status {
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) {
    const got = value === undefined ? 'none was sent' : `got ${JSON.stringify(value)}`;
    throw badRequest('INVALID_EXPERIMENT_STATUS', `status is required and must be one of active, paused, completed (${got})`);
  }
  return value as Status;
}

/** E29 step 6: the transition table. */
export function checkTransition(from: Status, to: Status): void {
  if (TRANSITIONS[from].includes(to)) return;
  const allowed = TRANSITIONS[from];
  const hint = allowed.length ? `from ${from} you can go to ${allowed.join(' or ')}` : 'completed experiments are final; create a new experiment instead';
  throw badRequest('INVALID_EXPERIMENT_STATUS', from === to ? `the experiment is already ${to}; ${hint}` : `cannot change status from ${from} to ${to}; ${hint}`);
}

/** The winner when completing: null when absent, else one of the variant keys (INVALID_VARIANTS). */
export function validateWinner(value: unknown, variants: { key: string }[]): string | null {
  if (isMissing(value)) return null;
  if (typeof value !== 'string' || !variants.some((v) => v.key === value)) {
    throw badRequest('INVALID_VARIANTS', `winner must be one of the variant keys: ${variants.map((v) => v.key).join(', ')}`);
  }
  return value;
}
