// Hand-written events as stored rows: the real enrich step fills the promoted columns exactly as
// ingestion does; ids follow the listed order so "later-ingested" is the later line of a fixture.
import { enrich } from '../../src/ingest/enrich.js';
import type { EventRow } from '../../src/store/ports.js';

export interface EventSpec {
  /** Epoch ms, or an ISO instant such as '2026-03-05T10:00:00Z'. */
  ts: number | string;
  event: string;
  user?: string | null;
  session?: string | null;
  props?: Record<string, unknown> | null;
  country?: string | null;
}

let sequence = 0;

/** A ULID-shaped id that sorts after every id made before it. */
export function nextId(): string {
  sequence++;
  return `01T${String(sequence).padStart(23, '0')}`;
}

export const ms = (ts: number | string): number => (typeof ts === 'number' ? ts : Date.parse(ts));

export function eventRow(projectId: string, spec: EventSpec): EventRow {
  const ts = ms(spec.ts);
  const props = spec.props === undefined ? {} : spec.props;
  const row = enrich(
    { event: spec.event, properties: props as never, propertiesJson: props === null ? null : JSON.stringify(props), user_id: spec.user ?? null, session_id: spec.session ?? null, ts },
    projectId, spec.user ?? null, spec.country ?? null, ts,
  );
  row.id = nextId();
  return row;
}

export const eventRows = (projectId: string, specs: EventSpec[]): EventRow[] => specs.map((s) => eventRow(projectId, s));
