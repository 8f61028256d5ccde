// Inputs and responses of the experiment endpoints (E25–E30), declared once for the routes, the MCP tools and the client.
// The write bodies are the validators: each field answers with the contract's code (failsWith, http/errors.ts).
import { Type } from 'typebox';
import { failsWith, Flags, ProjectQuery } from './common.js';

export const EXPERIMENT_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const VARIANT_KEY = /^[a-zA-Z0-9_-]{1,64}$/;
export const MAX_GOAL_EVENT = 256;
/** [min, max] variants of an experiment (E26). */
export const VARIANT_COUNT = [2, 4] as const;
export const STATUSES = ['active', 'paused', 'completed'] as const;

export const ExperimentIdParams = Type.Object({
  id: Type.String({ description: 'Experiment id (exp_…)' }),
});

export const ExperimentsListQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
});

export const ExperimentsConfigQuery = Type.Object({
  token: Type.Optional(Type.String({ description: 'Project token (aat_…)' })),
});

const VARIANTS_HINT = `send ${VARIANT_COUNT[0]} to ${VARIANT_COUNT[1]} unique keys of 1-64 letters, digits, "_" or "-", e.g. ["control","new_cta"] (the first is the control; weights go in "weights")`;
/** A required field's codes: absent (or null) → MISSING_FIELDS, any other failure → `code`. */
const required = (code: string) => ({ required: 'MISSING_FIELDS', default: code });

// PROJECT_REQUIRED comes from the project lookup, before the missing fields (§1.3); the fields are listed in the
// order the contract checks them (ajv reports the first failure).
export const CreateExperimentBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  name: failsWith(Type.String({ pattern: EXPERIMENT_NAME.source, description: 'Experiment key used by aa.experiment(name) in the page: ^[a-zA-Z0-9_-]{1,64}$, unique in the project' }),
    required('INVALID_BODY'), 'name is 1-64 characters of letters, digits, "_" or "-" (it is also the tracker\'s experiment key), e.g. "signup_cta"'),
  goal_event: failsWith(Type.String({ minLength: 1, maxLength: MAX_GOAL_EVENT, description: 'Conversion event name, e.g. signup_complete' }),
    required('INVALID_BODY'), `goal_event is a non-empty event name of at most ${MAX_GOAL_EVENT} characters, e.g. "signup"`),
  variants: failsWith(Type.Array(Type.String({ pattern: VARIANT_KEY.source }), {
    minItems: VARIANT_COUNT[0], maxItems: VARIANT_COUNT[1], uniqueItems: true, description: '2-4 unique variant keys, first = control, e.g. ["control","new_cta"]',
  }), required('INVALID_VARIANTS'), VARIANTS_HINT),
  weights: Type.Optional(failsWith(Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), {
    minItems: VARIANT_COUNT[0], maxItems: VARIANT_COUNT[1], description: 'Traffic split per variant, integers 0-100 summing to 100 (default: equal)',
  }), 'INVALID_VARIANTS', 'weights are one integer from 0 to 100 per variant, in the same order, summing to 100')),
});

export const PatchExperimentBody = Type.Object({
  status: failsWith(Type.Enum(STATUSES, { description: 'active | paused | completed (completed is final)' }), 'INVALID_EXPERIMENT_STATUS',
    'send status active, paused or completed'),
  winner: Type.Optional(failsWith(Type.String({ description: 'Winning variant key; only applied with status completed' }), 'INVALID_VARIANTS', 'winner is one of the variant keys')),
});

export const VariantObject = Type.Object({ key: Type.String(), weight: Type.Integer({ minimum: 0, maximum: 100 }) });

export const ExperimentObject = Type.Object({
  id: Type.String({ examples: ['exp_a1b2c3d4e5f6g7h8'] }),
  project_id: Type.String(),
  account_id: Type.String(),
  name: Type.String({ description: 'Unique per project; the tracker\'s experiment key' }),
  variants: Type.Array(VariantObject, { description: 'Configured order; the first is the control (baseline)' }),
  goal_event: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('paused'), Type.Literal('completed')]),
  winner: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  completed_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ExperimentResults = Type.Object({
  variants: Type.Array(Type.Object({
    key: Type.String(), exposures: Type.Integer(), unique_users: Type.Integer({ description: 'Counted for the variant of each user\'s first exposure' }),
    conversions: Type.Integer({ description: 'Users with a goal event at or after their first exposure' }), conversion_rate: Type.Number(),
  })),
  probability_best: Type.Record(Type.String(), Type.Number(), { description: 'P(variant has the highest rate), Beta(1,1) posteriors' }),
  lift: Type.Record(Type.String(), Type.Number(), { description: 'Relative lift vs the control; for the control, vs the best other variant' }),
  sufficient_data: Type.Boolean({ description: 'Every variant has at least 100 exposures' }),
  recommendation: Type.String(),
});

export const ExperimentDetailResponse = Type.Intersect([ExperimentObject, Type.Object({ results: ExperimentResults, flags: Flags })]);
export const ExperimentListResponse = Type.Object({ experiments: Type.Array(ExperimentObject) });
export const TrackerExperimentsResponse = Type.Object({ experiments: Type.Array(Type.Object({ key: Type.String(), variants: Type.Array(VariantObject) })) });
