// The one check that a tool's published input schema is its route's schema, only renamed and narrowed
// (enum, bounds, pattern, a tool default, closed objects, one branch of a union): shared by the MCP tests.
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { Value } from 'typebox/value';

type Schema = { [key: string]: unknown };
const NARROWING = new Set(['enum', 'minimum', 'maximum', 'minItems', 'maxItems', 'pattern', 'default', 'additionalProperties']);

/** A schema without the keywords a tool may add (and without the "this tool's default" note). */
function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([k]) => !NARROWING.has(k)).map(([k, v]) => [k, k === 'description' ? String(v).replace(/ \(this tool's default: .*\)$/, '') : strip(v)]));
}

/** `published` (a tools/list inputSchema) against the route schema it came from; `rename`: published name → route field. */
export function assertNarrowsRoute(name: string, published: unknown, routeSchema: unknown, rename: Record<string, string> = {}): void {
  const route = JSON.parse(JSON.stringify(routeSchema)) as { properties: Record<string, Schema> };
  const pub = published as { properties: Record<string, Schema>; additionalProperties?: unknown };
  assert.equal(pub.additionalProperties, false, `${name} refuses unknown arguments`);
  assert.deepEqual(Object.keys(pub.properties).map((k) => rename[k] ?? k), Object.keys(route.properties), `${name}: the route's fields, in order`);
  for (const [field, schema] of Object.entries(pub.properties)) {
    const original = route.properties[rename[field] ?? field];
    if (Array.isArray(original.anyOf) && !('anyOf' in schema)) {
      const { anyOf, ...rest } = original;
      assert.ok((anyOf as Schema[]).some((b) => isDeepStrictEqual(strip({ ...b, ...rest }), strip(schema))), `${name}.${field} narrows a branch of the route's union`);
    } else {
      assert.deepEqual(strip(schema), strip(original), `${name}.${field} is the route's schema`);
    }
    if (schema.default !== undefined) assert.ok(Value.Check(schema, schema.default), `${name}.${field}: default fits its own schema`);
  }
}
