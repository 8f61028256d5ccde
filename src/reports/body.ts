// What a report returns is the route's response schema (src/schemas) minus what the route adds itself —
// the anomaly `flags` and the `project_context` echo — so the two cannot drift apart.
import type { Static, TSchema } from 'typebox';

export type ReportBody<S extends TSchema> = Omit<Static<S>, 'flags' | 'project_context'>;
