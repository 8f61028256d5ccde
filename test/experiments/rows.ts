// Builds EventRow fixtures for experiment tests (inserted straight into the real event store).
import type { EventRow } from '../../src/store/ports.js';

let seq = 0;

/** A stored event with every promoted column empty; ids increase with each call unless given. */
export function eventRow(projectId: string, event: string, ts: number, userId: string | null, properties: Record<string, unknown> | null, id?: string): EventRow {
  return {
    id: id ?? `01T${String(++seq).padStart(23, '0')}`,
    project_id: projectId, ts, date: new Date(ts).toISOString().slice(0, 10), received_at: ts, event,
    user_id: userId, session_id: userId ? `sess_${userId}` : null,
    path: null, url: null, hostname: null, referrer: null, referrer_domain: null, title: null,
    utm_source: null, utm_medium: null, utm_campaign: null, utm_content: null, utm_term: null,
    browser: null, browser_version: null, os: null, device: null, country: null, language: null, screen: null,
    properties: properties === null ? null : JSON.stringify(properties),
  };
}

export const exposure = (projectId: string, experiment: string, variant: string, ts: number, userId: string | null, id?: string): EventRow =>
  eventRow(projectId, '$experiment_exposure', ts, userId, { experiment, variant }, id);
