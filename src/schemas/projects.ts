// Inputs and responses of the project endpoints (E18–E22), declared once for the routes, the MCP tools and the client.
import { Type } from 'typebox';
import { Flags, ProjectObject } from './common.js';

export const ProjectIdParams = Type.Object({ id: Type.String({ description: 'Project id (proj_…); the name is accepted too' }) });

export const CreateProjectBody = Type.Object({
  name: Type.Optional(Type.String({ description: 'Project name, unique per account: ^[a-zA-Z0-9._-]{1,64}$. Required; creating an existing name returns it (200, existing: true)' })),
  allowed_origins: Type.Optional(Type.String({ description: '"*" (default) or comma-separated origins' })),
  source_scan_id: Type.Optional(Type.String()),
});

export const PatchProjectBody = Type.Object({
  name: Type.Optional(Type.String({ description: 'New name (refused with 409 NAME_LOCKED once the project has events)' })),
  allowed_origins: Type.Optional(Type.String({ description: '"*" or comma-separated origins allowed to send events, e.g. https://example.com' })),
});

export const ProjectListResponse = Type.Object({ projects: Type.Array(ProjectObject), has_api_key: Type.Boolean(), tier: Type.String(), project_limit: Type.Integer(), flags: Flags });

export const ProjectCreatedResponse = Type.Object({
  id: Type.String(), name: Type.String(), project_token: Type.String(), allowed_origins: Type.String(),
  source_scan_id: Type.Union([Type.String(), Type.Null()]), created_at: Type.String(),
  snippet: Type.String(), api_example: Type.String(), existing: Type.Optional(Type.Boolean()),
});

export const ProjectDetailResponse = Type.Intersect([ProjectObject, Type.Object({ usage_today: Type.Object({ date: Type.String(), events: Type.Integer(), reads: Type.Integer() }) })]);
