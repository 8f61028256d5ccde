// The source formats an import reads (docs/portability.md#import), each a stream of Parsed records read from
// the file on disk one at a time — and readable twice: a validation pass, then the import pass.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { EXPORT_FIELDS } from '../../query/sql/export.js';
import { parseIsoInstant, utcDay } from '../../query/time.js';
import { openOfficialSqlite } from '../../store/files/official-sqlite.js';
import { readParquetRows } from '../../store/files/parquet-file.js';
import { PROMOTED_PROPERTIES } from '../../store/ports.js';
import { CsvError, readCsv } from '../csv.js';
import { buildRow, importId, type ImportRow, type Parsed } from './rows.js';

/** A file that cannot be read as its format at all (wrong header, not Parquet, …): the job fails with this message. */
export class SourceError extends Error {}

export interface Source {
  /** Records from the start of the file, each time it is called. */
  records(): AsyncIterable<Parsed>;
  /** Identity-map rows to store before the events (previous id → canonical user id). */
  identities: { previous_id: string; canonical_id: string }[];
  close(): void;
}

export interface SourceOptions {
  /** The project inside a multi-project file (the official SQLite database); null = its only project. */
  sourceProject: string | null;
  now: number;
}

const ID = /^[0-9A-Za-z_-]{1,64}$/;
const COLUMNS_KEPT = [...PROMOTED_PROPERTIES, 'referrer_domain', 'country'] as const;

/** Our own export record (NDJSON object, CSV row, Parquet row) back into the row it was exported from. */
function ownRecord(rec: Record<string, unknown>, at: string, key: string, now: number): Parsed {
  if (rec.id !== undefined && rec.id !== null && (typeof rec.id !== 'string' || !ID.test(rec.id))) return { at, invalid: 'id must be 1-64 letters, digits, _ or -' };
  const row = buildRow({ event: rec.event, ts: rec.timestamp, user_id: rec.user_id, session_id: rec.session_id, properties: rec.properties, received_at: rec.received_at },
    typeof rec.id === 'string' ? rec.id : (ts) => importId(ts, `own:${key}`), now);
  if (typeof row === 'string') return { at, invalid: row };
  if (rec.date !== undefined && rec.date !== null && rec.date !== row.date) return { at, invalid: `date ${JSON.stringify(rec.date)} is not the UTC date of timestamp ${row.ts} (${row.date})` };
  // Exported columns come back as they were (a lossless round trip), whatever the properties say.
  for (const c of COLUMNS_KEPT) {
    if (!Object.hasOwn(rec, c)) continue;
    const v = rec[c];
    if (v !== null && typeof v !== 'string') return { at, invalid: `${c} must be a string or null` };
    (row as Record<string, unknown>)[c] = v;
  }
  return { at, row };
}

async function* ndjson(path: string, now: number): AsyncIterable<Parsed> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const raw of lines) {
    n++;
    const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const at = `line ${n}`;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch (err) {
      yield { at, invalid: `not valid JSON (${(err as Error).message})` };
      continue;
    }
    if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) yield { at, invalid: 'each line must be one JSON object' };
    else yield ownRecord(rec as Record<string, unknown>, at, line, now);
  }
}

/** CSV records as objects keyed by the header row; `check` vets the header (throws SourceError). */
async function* csvObjects(path: string, check: (header: string[]) => void): AsyncIterable<{ at: string; rec: Record<string, string | null> } | { at: string; invalid: string }> {
  let header: string[] | null = null;
  try {
    for await (const r of readCsv(createReadStream(path))) {
      if (!header) {
        header = r.fields.map((f) => (f ?? '').trim());
        check(header);
        continue;
      }
      const at = `line ${r.line}`;
      if (r.fields.length !== header.length) {
        yield { at, invalid: `${r.fields.length} fields where the header has ${header.length}` };
        continue;
      }
      const rec: Record<string, string | null> = {};
      header.forEach((h, i) => (rec[h] = r.fields[i]));
      yield { at, rec };
    }
  } catch (err) {
    if (err instanceof CsvError) yield { at: `line ${err.line}`, invalid: err.message.replace(/^line \d+: /, '') };
    else throw err;
  }
  if (!header) throw new SourceError('the file is empty: a CSV needs a header row');
}

/** CSV records mapped to Parsed records (one or several each); malformed CSV records pass through as invalid. */
async function* mapCsv(path: string, check: (header: string[]) => void, map: (rec: Record<string, string | null>, at: string) => Parsed | Iterable<Parsed>): AsyncIterable<Parsed> {
  for await (const r of csvObjects(path, check)) {
    if ('invalid' in r) {
      yield r;
      continue;
    }
    const out = map(r.rec, r.at);
    if (Symbol.iterator in out) yield* out;
    else yield out;
  }
}

function requireColumns(header: string[], needed: string[], what: string): void {
  const missing = needed.filter((c) => !header.includes(c));
  if (missing.length) throw new SourceError(`line 1: the header lacks ${missing.join(', ')}; ${what}`);
}

async function* ownCsv(path: string, now: number): AsyncIterable<Parsed> {
  const check = (header: string[]) => {
    requireColumns(header, ['timestamp', 'event'], 'expected the header of an Agent Analytics CSV export (id,timestamp,date,…,properties)');
    const unknown = header.filter((h) => !(EXPORT_FIELDS as readonly string[]).includes(h));
    if (unknown.length) throw new SourceError(`line 1: unknown column(s) ${unknown.join(', ')}; the columns of our CSV export are ${EXPORT_FIELDS.join(', ')}`);
  };
  yield* mapCsv(path, check, (fields, at) => {
    const rec: Record<string, unknown> = { ...fields };
    for (const f of ['timestamp', 'received_at'] as const) if (typeof rec[f] === 'string' && /^\d{1,16}$/.test(rec[f] as string)) rec[f] = Number(rec[f]);
    if (typeof rec.properties === 'string') {
      try {
        rec.properties = JSON.parse(rec.properties);
      } catch {
        return { at, invalid: 'properties is not valid JSON' };
      }
    }
    return ownRecord(rec, at, Object.values(fields).join('\u0001'), now);
  });
}

async function* parquet(path: string, now: number): AsyncIterable<Parsed> {
  let n = 0;
  try {
    for await (const rows of readParquetRows(path)) {
      for (const rec of rows) {
        n++;
        const at = `row ${n}`;
        if (typeof rec.properties === 'string') {
          try {
            rec.properties = JSON.parse(rec.properties);
          } catch {
            yield { at, invalid: 'properties is not valid JSON' };
            continue;
          }
        }
        yield ownRecord(rec, at, JSON.stringify(rec), now);
      }
    }
  } catch (err) {
    if (n === 0) throw new SourceError((err as Error).message);
    throw err;
  }
}

/** Umami's event types: 1 page view, 2 custom event (others are left out, counted). */
async function* umami(path: string, now: number): AsyncIterable<Parsed> {
  const check = (h: string[]) => requireColumns(h, ['event_id', 'created_at', 'event_type'], 'expected Umami\'s website_event columns (event_id, website_id, session_id, visit_id, created_at, url_path, …, event_type, event_name)');
  yield* mapCsv(path, check, (e, at): Parsed => {
    if (!e.event_id) return { at, invalid: 'event_id is empty' };
    const ts = e.created_at ? parseIsoInstant(e.created_at) : null;
    if (ts === null) return { at, invalid: `created_at ${JSON.stringify(e.created_at)} is not a date-time (e.g. 2024-01-15 10:23:45)` };
    const type = e.event_type;
    if (type !== '1' && type !== '2') return { at, skip: `umami_event_type_${type ?? 'empty'}` };
    const query = e.url_query ? `?${e.url_query}` : '';
    const props: Record<string, unknown> = {};
    if (e.url_path !== null && e.url_path !== undefined) props.path = e.url_path;
    if (e.hostname) {
      props.hostname = e.hostname;
      props.url = `https://${e.hostname}${e.url_path ?? '/'}${query}`;
    }
    if (e.page_title) props.title = e.page_title;
    props.referrer = e.referrer_domain ? `https://${e.referrer_domain}${e.referrer_path ?? ''}${e.referrer_query ? `?${e.referrer_query}` : ''}` : '';
    for (const u of ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'] as const) if (e[u]) props[u] = e[u];
    const event = type === '1' ? 'page_view' : e.event_name;
    // Umami's session is a visitor (hashed, rotating monthly) and its visit a session of ours.
    const row = buildRow({ event, ts, user_id: e.session_id, session_id: e.visit_id ?? e.session_id, properties: props }, importId(ts, `umami:${e.event_id}`), now);
    return typeof row === 'string' ? { at, invalid: row } : { at, row };
  });
}

const DAY_MS = 86_400_000;
const MAX_PLAUSIBLE_PAGEVIEWS = 1_000_000;

/**
 * Plausible exports daily aggregates, not events. imported_pages.csv (date, hostname, page, visitors, pageviews, …)
 * is the one file that maps: each row becomes `pageviews` page_view events on its date, spread over the day, from
 * `visitors` synthetic visitors (one session each), so page views and per-page daily visitors come out exact.
 */
async function* plausible(path: string, now: number): AsyncIterable<Parsed> {
  const check = (h: string[]) => {
    if (!h.includes('page') && (h.includes('visits') || h.includes('source') || h.includes('country') || h.includes('name'))) {
      throw new SourceError('line 1: this is not Plausible\'s imported_pages.csv; Plausible exports daily aggregates and only the pages file maps to page views (docs/portability.md#plausible) — import imported_pages_*.csv from the export zip');
    }
    requireColumns(h, ['date', 'page', 'pageviews'], 'expected Plausible\'s imported_pages.csv (date, hostname, page, visitors, pageviews, …)');
  };
  yield* mapCsv(path, check, function* (e, at): Iterable<Parsed> {
    const day = e.date && /^\d{4}-\d{2}-\d{2}$/.test(e.date) ? parseIsoInstant(e.date) : null;
    const views = Number(e.pageviews);
    const visitors = e.visitors === undefined || e.visitors === null ? views : Number(e.visitors);
    if (day === null) yield { at, invalid: `date ${JSON.stringify(e.date)} is not YYYY-MM-DD` };
    else if (!Number.isInteger(views) || views < 0 || views > MAX_PLAUSIBLE_PAGEVIEWS) yield { at, invalid: `pageviews must be an integer from 0 to ${MAX_PLAUSIBLE_PAGEVIEWS}` };
    else if (!Number.isInteger(visitors) || visitors < 0) yield { at, invalid: 'visitors must be a non-negative integer' };
    else if (!e.page) yield { at, invalid: 'page is empty' };
    else {
      const host = e.hostname ?? '';
      const people = Math.max(1, Math.min(visitors, views));
      for (let k = 0; k < views; k++) {
        const ts = day + Math.floor((k * DAY_MS) / views);
        const visitor = `plausible:${utcDay(day)}:${importId(0, `${host}|${e.page}`).slice(10)}:${k % people}`;
        const props: Record<string, unknown> = { path: e.page, imported: 'plausible' };
        if (host) props.hostname = host;
        const row = buildRow({ event: 'page_view', ts, user_id: visitor, session_id: visitor, properties: props }, importId(ts, `plausible:${host}|${e.page}|${e.date}|${k}`), now);
        yield typeof row === 'string' ? { at, invalid: row } : { at, row };
      }
    }
  });
}

function officialSqlite(path: string, opts: SourceOptions): Source {
  let file;
  try {
    file = openOfficialSqlite(path);
  } catch (err) {
    throw new SourceError((err as Error).message);
  }
  const projects = file.projects();
  let project = opts.sourceProject;
  if (project === null) {
    if (projects.length !== 1) {
      file.close();
      throw new SourceError(projects.length === 0 ? 'the database holds no events' : `the database holds several projects (${projects.map((p) => `${p.project}: ${p.events} events`).join(', ')}); pick one with source_project`);
    }
    project = projects[0].project;
  } else if (!projects.some((p) => p.project === project)) {
    file.close();
    throw new SourceError(`no project "${project}" in the database; it holds ${projects.map((p) => p.project).join(', ') || 'none'}`);
  }
  const name = project;
  const f = file;
  return {
    identities: f.identities(name),
    close: () => f.close(),
    async *records() {
      let n = 0;
      for (const e of f.events(name)) {
        n++;
        const at = `row ${n} (id ${e.id})`;
        let props: unknown = null;
        if (e.properties !== null) {
          try {
            props = JSON.parse(e.properties);
          } catch {
            yield { at, invalid: 'properties is not valid JSON' };
            continue;
          }
        }
        const id = typeof e.id === 'string' && ID.test(e.id) ? e.id : (ts: number) => importId(ts, `aa-sqlite:${e.id}`);
        const row = buildRow({ event: e.event, ts: Number(e.timestamp), user_id: e.user_id, session_id: e.session_id, properties: props, country: e.country }, id, opts.now);
        yield typeof row === 'string' ? { at, invalid: row } : { at, row };
      }
    },
  };
}

/** Open a source of the given format; throws SourceError when the file cannot be that format at all. */
export async function openSource(format: string, path: string, opts: SourceOptions): Promise<Source> {
  const stream = (gen: () => AsyncIterable<Parsed>): Source => ({ records: gen, identities: [], close: () => {} });
  switch (format) {
    case 'ndjson': return stream(() => ndjson(path, opts.now));
    case 'csv': return stream(() => ownCsv(path, opts.now));
    case 'parquet': return stream(() => parquet(path, opts.now));
    case 'umami-csv': return stream(() => umami(path, opts.now));
    case 'plausible-csv': return stream(() => plausible(path, opts.now));
    case 'aa-sqlite': return officialSqlite(path, opts);
    default: throw new SourceError(`unknown format ${format}`);
  }
}

export type { ImportRow };
