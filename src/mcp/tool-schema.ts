// What an MCP client sees of a tool's input, built the same way for every ToolDef: the route's own schema
// (src/schemas), renamed and narrowed where a tool can be stricter than the HTTP contract, closed to
// unknown arguments; and the check of a call's arguments against it, with messages a model can act on.
import { Value } from 'typebox/value';
import type { TObject } from 'typebox';

export type JsonSchema = { [key: string]: unknown };

/** Keywords a refinement may set on one field: each narrows the route's schema (or states the tool's default). */
export interface FieldRefinement {
  enum?: readonly string[];
  /** Picks one branch of a union, e.g. `integer` out of the routes' integer-or-digit-string query parameters. */
  type?: 'integer' | 'number' | 'string';
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  /** Applied by the tool when the argument is absent (only top-level fields). */
  default?: unknown;
}

export interface Refinement {
  /** Fields the tool requires although the route keeps them optional (the route answers their absence with a code). */
  required?: readonly string[];
  /** Published name → route field, so the tool set spells one concept one way (snake_case, `project`, `experiment_id`). */
  rename?: Readonly<Record<string, string>>;
  /** By published path: `name`, `name[]` (the items of an array), `name[].field`. */
  fields?: Readonly<Record<string, FieldRefinement>>;
}

export interface ToolInput {
  /** The route schema (or a composition of route schemas' properties), never a second declaration. */
  input: TObject;
  refine?: Refinement;
}

const NARROWING_KEYS = ['enum', 'type', 'minimum', 'maximum', 'minItems', 'maxItems', 'pattern', 'default'] as const;

const isObject = (v: unknown): v is JsonSchema => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every object schema with declared properties refuses others (records, which only have patternProperties, stay open). */
function closeObjects(node: unknown): void {
  if (!isObject(node)) return;
  if (isObject(node.properties)) {
    if (node.additionalProperties === undefined) node.additionalProperties = false;
    Object.values(node.properties).forEach(closeObjects);
  }
  if (isObject(node.patternProperties)) Object.values(node.patternProperties).forEach(closeObjects);
  closeObjects(node.items);
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(node[k])) (node[k] as unknown[]).forEach(closeObjects);
}

/** The schema node at a published path (`a`, `a[]`, `a[].b`), descending through optional unions. */
function nodeAt(root: JsonSchema, path: string): JsonSchema {
  let node: JsonSchema = root;
  for (const part of path.split('.')) {
    const [name, ...arrays] = part.split('[]');
    const props = node.properties as Record<string, JsonSchema> | undefined;
    if (!props || !isObject(props[name])) throw new Error(`refinement path ${path}: no field ${name}`);
    node = props[name];
    for (let i = 0; i < arrays.length; i++) {
      if (!isObject(node.items)) throw new Error(`refinement path ${path}: ${name} is not an array`);
      node = node.items;
    }
  }
  return node;
}

function narrow(node: JsonSchema, path: string, patch: FieldRefinement): void {
  for (const key of Object.keys(patch)) {
    if (!(NARROWING_KEYS as readonly string[]).includes(key)) throw new Error(`refinement of ${path}: ${key} is not a narrowing keyword`);
  }
  if (patch.type !== undefined && node.type !== patch.type) {
    const branch = Array.isArray(node.anyOf) ? (node.anyOf as JsonSchema[]).find((b) => b.type === patch.type) : undefined;
    if (!branch) throw new Error(`refinement of ${path}: the route's schema has no ${patch.type} branch to narrow to`);
    delete node.anyOf;
    Object.assign(node, { ...branch, ...node });
  }
  Object.assign(node, patch);
  if (patch.default !== undefined && typeof node.description === 'string') node.description += ` (this tool's default: ${JSON.stringify(patch.default)})`;
}

const published = new WeakMap<ToolInput, JsonSchema>();

/** The input schema a client sees: plain JSON Schema (draft 2020-12 compatible), closed, narrowed, renamed. */
export function publishedInput(tool: ToolInput): JsonSchema {
  const hit = published.get(tool);
  if (hit) return hit;
  const route = JSON.parse(JSON.stringify(tool.input)) as JsonSchema;
  const routeProps = (route.properties ?? {}) as Record<string, JsonSchema>;
  const toPublished = new Map(Object.entries(tool.refine?.rename ?? {}).map(([pub, field]) => [field, pub]));
  for (const field of toPublished.keys()) if (!(field in routeProps)) throw new Error(`rename: the route has no field ${field}`);
  const properties: Record<string, JsonSchema> = {};
  for (const [field, schema] of Object.entries(routeProps)) properties[toPublished.get(field) ?? field] = schema;
  const rename = (field: string) => toPublished.get(field) ?? field;
  const required = [...new Set([...((route.required as string[] | undefined) ?? []).map(rename), ...(tool.refine?.required ?? [])])];
  for (const name of required) if (!(name in properties)) throw new Error(`required: no field ${name}`);
  const schema: JsonSchema = { ...route, type: 'object', properties };
  if (required.length) schema.required = Object.keys(properties).filter((k) => required.includes(k));
  else delete schema.required;
  closeObjects(schema);
  for (const [path, patch] of Object.entries(tool.refine?.fields ?? {})) narrow(nodeAt(schema, path), path, patch);
  published.set(tool, schema);
  return schema;
}

export type ArgumentCheck = { ok: true; args: Record<string, unknown> } | { ok: false; problems: string[] };

/** Where a problem is: `(arguments)` at the top, else the argument path written as a model would (`steps[0].event`). */
const where = (instancePath: string) => (instancePath ? instancePath.slice(1).split('/').map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('') : '(arguments)');

function schemaAt(root: JsonSchema, schemaPath: string): JsonSchema | null {
  let node: unknown = root;
  for (const part of schemaPath.replace(/^#\/?/, '').split('/').filter(Boolean)) node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[part] : undefined;
  return isObject(node) ? node : null;
}

/**
 * Check raw arguments against the published schema. On success: the tool's defaults filled in and the
 * published names mapped back to the route's fields. On failure: one sentence per problem, naming the valid
 * arguments or values.
 */
export function checkArguments(tool: ToolInput, raw: unknown): ArgumentCheck {
  const schema = publishedInput(tool);
  const args = raw ?? {};
  if (!Value.Check(schema, args)) {
    const problems: string[] = [];
    for (const e of Value.Errors(schema, args)) {
      const at = where(e.instancePath);
      const params = e.params as Record<string, unknown>;
      if (e.keyword === 'boolean' || e.keyword === 'anyOf' && problems.some((p) => p.startsWith(`${at} `))) continue;
      if (e.keyword === 'additionalProperties') {
        const allowed = Object.keys((schemaAt(schema, e.schemaPath)?.properties as object | undefined) ?? {});
        const unknown = (params.additionalProperties as string[]).map((k) => JSON.stringify(k)).join(', ');
        problems.push(`${e.instancePath ? `${at} has ` : ''}unknown argument${(params.additionalProperties as string[]).length > 1 ? 's' : ''} ${unknown}; valid: ${allowed.join(', ')}`);
      } else if (e.keyword === 'required') {
        problems.push(`${e.instancePath ? `${at}: ` : ''}missing required ${(params.requiredProperties as string[]).join(', ')}`);
      } else if (e.keyword === 'enum') {
        problems.push(`${at} must be one of: ${(params.allowedValues as unknown[]).map(String).join(', ')}`);
      } else {
        problems.push(`${at} ${e.message}`);
      }
    }
    return { ok: false, problems: [...new Set(problems)].slice(0, 5) };
  }
  const given = args as Record<string, unknown>;
  const properties = schema.properties as Record<string, JsonSchema>;
  const rename = tool.refine?.rename ?? {};
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(properties)) {
    const value = given[name] !== undefined ? given[name] : prop.default;
    if (value !== undefined) out[rename[name] ?? name] = value;
  }
  return { ok: true, args: out };
}
