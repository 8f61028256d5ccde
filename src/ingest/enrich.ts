// The enrich step: a validated event becomes the wide row of docs/ingestion.md#the-events-table — id, date, promoted columns
// copied from the properties, referrer_domain, and the country from a trusted edge header.
import { EVENT_COLUMNS, type EventRow, PROMOTED_PROPERTIES } from '../store/ports.js';
import { utcDay } from '../query/time.js';
import type { ValidEvent } from './validate.js';

import { newUlid } from './ulid.js';

export const newEventId = (): string => newUlid();

const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A promoted property as column text: strings as sent, the empty string included (the tracker's direct visit
 * is `referrer: ""`, a value, not a missing key); an unpaired surrogate, which no engine stores as text,
 * becomes U+FFFD (the properties JSON keeps the original); numbers/booleans as their JSON text, else null.
 */
function scalarText(v: unknown): string | null {
  if (typeof v === 'string') return v.replace(UNPAIRED, '\ufffd');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

function hostOf(url: string | null): string | null {
  if (!url || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return null;
  try {
    return new URL(url).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

// URL parsing is the costliest part of enrichment and referrers repeat: remember recent answers.
const domains = new Map<string, string | null>();

/** The referring site without "www.", e.g. https://www.google.com/search → google.com. */
export function referrerDomain(referrer: string | null): string | null {
  if (!referrer) return null;
  let domain = domains.get(referrer);
  if (domain === undefined) {
    const host = hostOf(referrer);
    domain = host ? host.replace(/^www\./, '') : null;
    if (domains.size >= 5000) domains.clear();
    if (referrer.length <= 512) domains.set(referrer, domain);
  }
  return domain;
}

/** A two-letter country code from a trusted edge header; unknown/Tor/garbage values → null. */
export function countryFrom(header: string | string[] | undefined): string | null {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v || !/^[A-Za-z]{2}$/.test(v.trim())) return null;
  const code = v.trim().toUpperCase();
  return code === 'XX' || code === 'ZZ' ? null : code;
}

/** A row with every column null (tests build rows from it). */
export function emptyRow(): EventRow {
  const row = {} as Record<string, unknown>;
  for (const c of EVENT_COLUMNS) row[c] = null;
  return row as unknown as EventRow;
}

/** Build the stored row; `userId` is the canonical id already resolved by the identity step. */
export function enrich(e: ValidEvent, projectId: string, userId: string | null, country: string | null, receivedAt: number): EventRow {
  // One literal in column order: every row shares a hidden class, which keeps the hot path fast.
  const row: EventRow = {
    id: newEventId(), project_id: projectId, ts: e.ts, date: utcDay(e.ts), received_at: receivedAt, event: e.event,
    user_id: userId, session_id: e.session_id,
    path: null, url: null, hostname: null, referrer: null, referrer_domain: null, title: null,
    utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null,
    browser: null, browser_version: null, os: null, device: null, country, language: null, screen: null,
    properties: e.propertiesJson,
  };
  const p = e.properties;
  if (p) {
    for (const key of PROMOTED_PROPERTIES) if (Object.hasOwn(p, key)) row[key] = scalarText(p[key]);
    row.hostname ??= hostOf(row.url);
    row.referrer_domain = referrerDomain(row.referrer);
  }
  return row;
}
