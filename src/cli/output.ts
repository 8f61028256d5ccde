// Human-readable rendering for the CLI: aligned tables, compact numbers, durations, and anomaly flags.
import type { Flag } from '../client/api-types.js';

type Cell = string | number | boolean | null | undefined;

const text = (c: Cell): string => (c === null || c === undefined ? '-' : String(c));
/** Numbers, percentages and durations ("1m 14s") line up on the right. */
const numeric = (c: Cell): boolean => typeof c === 'number' || (typeof c === 'string' && /^[+-]?[\d,.]+(%|ms|s|m|h)?( \d+[smh])?$/.test(c));

/** A plain-text table: header, rule, rows; numeric columns right-aligned. Empty → `empty` line. */
export function table(headers: string[], rows: Cell[][], empty = '(no rows)'): string {
  if (rows.length === 0) return empty;
  const cells = rows.map((r) => r.map(text));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const right = headers.map((_, i) => rows.every((r) => r[i] === null || r[i] === undefined || numeric(r[i])));
  const line = (r: string[]) => r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

export const num = (n: number | null | undefined): string => (n === null || n === undefined ? '-' : n.toLocaleString('en-US'));

/** Fraction 0–1 → "38.3%". */
export const pct = (f: number | null | undefined): string => (f === null || f === undefined ? '-' : `${(Math.round(f * 1000) / 10).toFixed(1)}%`);

/** change_pct (integer or null) → "+28%", "-7%", "new". */
export const change = (p: number | null): string => (p === null ? 'new' : `${p > 0 ? '+' : ''}${p}%`);

/** Milliseconds → "1h 2m", "1m 14s", "850ms". */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

/** Epoch ms → "2026-03-09 08:00:00" (UTC, like every bucket of the API). */
export const time = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);

export const compactJson = (v: unknown): string => (v === null || v === undefined ? '-' : JSON.stringify(v));

const MARK: Record<Flag['severity'], string> = { info: 'note', warning: 'WARNING', critical: 'CRITICAL' };

/** Anomaly flags as indented lines after a report, or '' when there are none. */
export function flagLines(flags: Flag[] | undefined): string {
  if (!flags?.length) return '';
  return `\n${flags.map((f) => `${MARK[f.severity] ?? f.severity} [${f.code}] ${f.message}`).join('\n')}`;
}
