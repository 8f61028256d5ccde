// Inputs and responses of the experiment endpoints (E25–E30), declared once for the routes, the MCP tools and the client.
// Loose where the contract picks the code (MISSING_FIELDS, INVALID_VARIANTS, INVALID_EXPERIMENT_STATUS).
import { Type } from 'typebox';
import { Flags, ProjectQuery } from './common.js';

export const ExperimentIdParams = Type.Object({
  id: Type.String({ description: 'Experiment id (exp_…)' }),
});

export const ExperimentsListQuery = Type.Object({
  project: Type.Optional(ProjectQuery),
});

export const ExperimentsConfigQuery = Type.Object({
  token: Type.Optional(Type.String({ description: 'Project token (aat_…)' })),
});

export const CreateExperimentBody = Type.Object({
  project: Type.Optional(ProjectQuery),
  name: Type.Optional(Type.String({ description: 'Experiment key used by aa.experiment(name) in the page: ^[a-zA-Z0-9_-]{1,64}$, unique in the project' })),
  variants: Type.Optional(Type.Array(Type.String(), { description: '2-4 unique variant keys, first = control, e.g. ["control","new_cta"]' })),
  goal_event: Type.Optional(Type.String({ description: 'Conversion event name, e.g. signup_complete' })),
  weights: Type.Optional(Type.Array(Type.Integer(), { description: 'Traffic split per variant, integers summing to 100 (default: equal)' })),
});

export const PatchExperimentBody = Type.Object({
  status: Type.Optional(Type.String({ description: 'active | paused | completed (completed is final). Required.' })),
  winner: Type.Optional(Type.String({ description: 'Winning variant key; only applied with status completed' })),
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
