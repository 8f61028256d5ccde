// Inputs of the experiment endpoints (E25–E30), declared once for the routes and the MCP tools.
// Loose where the contract picks the code (MISSING_FIELDS, INVALID_VARIANTS, INVALID_EXPERIMENT_STATUS).
import { Type } from 'typebox';
import { ProjectQuery } from './common.js';

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
