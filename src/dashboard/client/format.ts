// Display helpers. Numbers are shown as the API gives them; the raw value also sits in data-value.

const nf = new Intl.NumberFormat('en-US');
export const int = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : nf.format(n));

/** A fraction (0.423) as a percentage with one decimal (42.3 %). */
export const fraction = (f: number | null | undefined): string => (f === null || f === undefined ? '—' : `${(Math.round(f * 1000) / 10).toFixed(1)} %`);

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** change_pct is null when the previous period was empty (contract Q5): never print "null %". */
export function change(pct: number | null | undefined): { text: string; dir: 'up' | 'down' | 'flat' | 'new' } {
  if (pct === null || pct === undefined) return { text: 'new', dir: 'new' };
  if (pct === 0) return { text: '0 %', dir: 'flat' };
  return { text: `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`, dir: pct > 0 ? 'up' : 'down' };
}

export const utcToday = (): string => new Date().toISOString().slice(0, 10);
export const addDays = (date: string, n: number): string => new Date(Date.parse(date + 'T00:00:00Z') + n * 86_400_000).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string): number => Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);

export function time(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19) + ' UTC';
}

/** An ISO timestamp as a UTC day and minute: 2026-12-07 14:03 UTC. */
export const date = (iso: string): string => iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC';
