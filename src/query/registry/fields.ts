// Filterable fields, declared once: the built-in event fields /query accepts, `properties.<key>`, and
// the session fields the session presets filter on. Each knows its SQL (via the Dialect) and its type.
import { COLUMN_BACKED_PROPERTIES, PROPERTY_KEY } from '../../store/ports.js';
import type { Dialect } from '../sql/dialect.js';
import type { Scope } from '../types.js';

/** How values compare: text, DATE, epoch ms, small integer, or a JSON property (typed by what is stored). */
export type FieldType = 'text' | 'date' | 'epoch_ms' | 'int' | 'property';

export interface FieldDef {
  name: string;
  scope: Scope;
  type: FieldType;
  /** The value as SQL (text for `property`: strings unquoted, other JSON as text). */
  sql(d: Dialect): string;
  /** `property` only: the stored JSON number, NULL when the value is not a number. */
  numberSql?(d: Dialect): string;
}

/** Property keys allowed anywhere (contract §1.7); declared beside the promoted columns in store/ports.ts. */
export { PROPERTY_KEY };

/** The built-in filter fields of POST /query, in the order its guidance message lists them. */
export const QUERY_FILTER_FIELDS = ['event', 'user_id', 'date', 'country', 'session_id', 'timestamp'] as const;

const column = (name: string, scope: Scope, type: FieldType, col = name): FieldDef => ({ name, scope, type, sql: () => col });

const FIELDS: Record<string, FieldDef> = {
  event: column('event', 'events', 'text'),
  user_id: column('user_id', 'events', 'text'),
  session_id: column('session_id', 'events', 'text'),
  country: column('country', 'events', 'text'),
  date: column('date', 'events', 'date'),
  timestamp: column('timestamp', 'events', 'epoch_ms', 'ts'),
  'session.user_id': column('session.user_id', 'sessions', 'text', 'user_id'),
  'session.is_bounce': column('session.is_bounce', 'sessions', 'int', 'is_bounce'),
  'session.entry_page': column('session.entry_page', 'sessions', 'text', 'entry_page'),
  'session.exit_page': column('session.exit_page', 'sessions', 'text', 'exit_page'),
  'session.start_time': column('session.start_time', 'sessions', 'epoch_ms', 'start_time'),
};

const COLUMN_BACKED = new Set<string>(COLUMN_BACKED_PROPERTIES);

/** SQL text of property `key` (validated here, again, right before it is written into a JSON path). */
export function propertySql(d: Dialect, key: string): string {
  if (!PROPERTY_KEY.test(key)) throw new Error(`unvalidated property key reached the compiler: ${JSON.stringify(key)}`);
  return COLUMN_BACKED.has(key) ? key : d.jsonText('properties', key);
}

function propertyField(key: string): FieldDef {
  return {
    name: `properties.${key}`,
    scope: 'events',
    type: 'property',
    sql: (d) => propertySql(d, key),
    numberSql: (d) => {
      if (!PROPERTY_KEY.test(key)) throw new Error(`unvalidated property key reached the compiler: ${JSON.stringify(key)}`);
      return d.jsonNumber('properties', key);
    },
  };
}

/** The field named `name`, or null when no such field exists (callers turn that into their 400). */
export function fieldDef(name: string): FieldDef | null {
  if (Object.hasOwn(FIELDS, name)) return FIELDS[name];
  if (name.startsWith('properties.')) {
    const key = name.slice('properties.'.length);
    return PROPERTY_KEY.test(key) ? propertyField(key) : null;
  }
  return null;
}
