// Inputs of the project endpoints (E18–E22), declared once for the routes and the MCP tools.
import { Type } from 'typebox';

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
