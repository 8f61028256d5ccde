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

/**
 * The attribution edge cases of E28 for experiment "hero" (control, b; goal "signup") created at `c` in
 * project P, with a second project `other` of the same account. Expected counts: ATTRIBUTION_EXPECTED.
 */
export function attributionRows(P: string, other: string, c: number): EventRow[] {
  return [
    // u1: control first, then b: counts once, for control; converts afterwards.
    exposure(P, 'hero', 'control', c + 1000, 'u1'),
    exposure(P, 'hero', 'b', c + 2000, 'u1'),
    eventRow(P, 'signup', c + 3000, 'u1', null),
    // u2: converted before being exposed: a user of b without a conversion.
    eventRow(P, 'signup', c + 500, 'u2', null),
    exposure(P, 'hero', 'b', c + 1000, 'u2'),
    // u3: activity before the experiment existed is ignored (its early exposure would have made it control).
    eventRow(P, 'signup', c - 5000, 'u3', null),
    exposure(P, 'hero', 'control', c - 1000, 'u3'),
    exposure(P, 'hero', 'b', c + 100, 'u3'),
    // u4: two exposures, converts at the very same millisecond as the first (>= counts).
    exposure(P, 'hero', 'control', c + 100, 'u4'),
    exposure(P, 'hero', 'control', c + 400, 'u4'),
    eventRow(P, 'signup', c + 100, 'u4', { plan: 'pro' }),
    // Anonymous exposures count as exposures, never as users.
    exposure(P, 'hero', 'control', c + 10, null),
    exposure(P, 'hero', 'control', c + 20, null),
    eventRow(P, 'signup', c + 30, null, null),
    // u8: two exposures in the same millisecond: the smaller id is first (b's row inserted first on purpose).
    exposure(P, 'hero', 'b', c + 150, 'u8', '01U00000000000000000000002'),
    exposure(P, 'hero', 'control', c + 150, 'u8', '01U00000000000000000000001'),
    eventRow(P, 'signup', c + 200, 'u8', null),
    // u9: another event is not the goal.
    exposure(P, 'hero', 'b', c + 100, 'u9'),
    eventRow(P, 'purchase', c + 200, 'u9', null),
    // u12: converts only in another project.
    exposure(P, 'hero', 'control', c + 100, 'u12'),
    eventRow(other, 'signup', c + 200, 'u12', null),
    // Ignored entirely: other experiment, unknown variant, no variant, no properties, not an exposure event,
    // and the same experiment name in another project.
    exposure(P, 'other_exp', 'control', c + 100, 'u5'),
    exposure(P, 'hero', 'zzz', c + 50, 'u1'),
    eventRow(P, '$experiment_exposure', c + 60, 'u2', { experiment: 'hero' }),
    eventRow(P, '$experiment_exposure', c + 60, 'u6', null),
    eventRow(P, 'click', c + 60, 'u7', { experiment: 'hero', variant: 'b' }),
    exposure(other, 'hero', 'b', c + 100, 'u12'),
    exposure(other, 'hero', 'control', c + 100, 'u13'),
  ];
}

export const ATTRIBUTION_EXPECTED = [
  { key: 'control', exposures: 7, unique_users: 4, conversions: 3 },
  { key: 'b', exposures: 5, unique_users: 3, conversions: 0 },
];
