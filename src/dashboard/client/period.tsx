// The period picker and the filter chips: both live in the URL (?period=custom&from=…&to=…&f=country:DE), so a view can
// be shared and the back button works.
import { addDays, daysBetween, utcToday } from './format.js';
import { navigate, type Route } from './router.js';

export type PeriodKey = 'today' | '7d' | '30d' | '90d' | 'custom';

export interface Period {
  key: PeriodKey;
  /** `since` of /stats, /breakdown, /pages, /heatmap: the window's first UTC date, as the API parses it. */
  since: string;
  /** /insights period for the presets; null for a custom range (compared with /query instead). */
  insights: '1d' | '7d' | '30d' | '90d' | null;
  from: string;
  to: string;
  days: number;
  /** The previous period of the same length, just before. */
  prevFrom: string;
  prevTo: string;
  groupBy: 'hour' | 'day';
}

const PRESETS: Record<Exclude<PeriodKey, 'custom'>, number> = { today: 1, '7d': 7, '30d': 30, '90d': 90 };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function periodOf(route: Route): Period {
  const today = utcToday();
  const raw = route.query.get('period') as PeriodKey | null;
  const fromParam = route.query.get('from');
  const toParam = route.query.get('to');
  if (raw === 'custom' && fromParam && ISO_DATE.test(fromParam) && fromParam <= today) {
    // `to` is optional (default today); one before `from` or after today is ignored.
    const to = toParam && ISO_DATE.test(toParam) && toParam >= fromParam && toParam <= today ? toParam : today;
    const days = daysBetween(fromParam, to) + 1;
    return { key: 'custom', since: fromParam, insights: null, from: fromParam, to, days, prevFrom: addDays(fromParam, -days), prevTo: addDays(fromParam, -1), groupBy: days <= 2 ? 'hour' : 'day' };
  }
  const key = raw && raw in PRESETS ? (raw as Exclude<PeriodKey, 'custom'>) : '7d';
  const days = PRESETS[key];
  const from = addDays(today, -(days - 1));
  return {
    key,
    // "today" is an ISO date so /stats?groupBy=hour starts at midnight UTC (an Nd since is an instant N days ago there).
    since: key === 'today' ? today : `${days - 1}d`,
    insights: key === 'today' ? '1d' : key,
    from,
    to: today,
    days,
    prevFrom: addDays(from, -days),
    prevTo: addDays(from, -1),
    groupBy: days <= 2 ? 'hour' : 'day',
  };
}

export const FILTER_FIELDS: Record<string, string> = {
  event: 'Event',
  path: 'Page',
  referrer: 'Referrer',
  utm_source: 'UTM source',
  country: 'Country',
  browser: 'Browser',
  os: 'OS',
  device: 'Device',
};

export interface Filter {
  field: string;
  value: string;
}

export function filtersOf(route: Route): Filter[] {
  return route.query
    .getAll('f')
    .map((f) => {
      const i = f.indexOf(':');
      return { field: f.slice(0, i), value: f.slice(i + 1) };
    })
    .filter((f) => f.field in FILTER_FIELDS);
}

/** The /query filter of a chip: event and country are columns, the rest properties. */
export const queryFilter = (f: Filter) => ({ field: f.field === 'event' || f.field === 'country' ? f.field : `properties.${f.field}`, op: 'eq', value: f.value });

/**
 * The `filters` parameter of /stats, /breakdown and /pages (POST /query's filters as JSON): the chips, and the
 * end of a custom range that stops before today (those reads take a start, `since`, and no end).
 */
export function filtersParam(p: Period, filters: Filter[]): string | undefined {
  const f: { field: string; op: string; value: string }[] = filters.map(queryFilter);
  if (p.to < utcToday()) f.push({ field: 'date', op: 'lte', value: p.to });
  return f.length ? JSON.stringify(f) : undefined;
}

export function withParams(route: Route, change: (q: URLSearchParams) => void): string {
  const q = new URLSearchParams(route.query);
  change(q);
  const s = q.toString();
  return '/app' + route.path + (s ? '?' + s : '');
}

export function PeriodPicker({ route }: { route: Route }) {
  const p = periodOf(route);
  const today = utcToday();
  const set = (key: PeriodKey, from?: string, to?: string) =>
    navigate(
      withParams(route, (q) => {
        q.set('period', key);
        if (key === 'custom') {
          const f = from ?? p.from;
          const t = to ?? p.to;
          q.set('from', f);
          if (t < today && t >= f) q.set('to', t);
          else q.delete('to');
        } else {
          q.delete('from');
          q.delete('to');
        }
      }),
    );
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <div class="picker">
      <label for="period">Period</label>
      <select id="period" value={p.key} onChange={(e) => set(value(e) as PeriodKey)}>
        <option value="today">Today</option>
        <option value="7d">Last 7 days</option>
        <option value="30d">Last 30 days</option>
        <option value="90d">Last 90 days</option>
        <option value="custom">Custom range…</option>
      </select>
      {p.key === 'custom' && (
        <>
          <label for="period-from">From</label>
          <input id="period-from" type="date" value={p.from} max={p.to} onChange={(e) => value(e) && set('custom', value(e), p.to)} />
          <label for="period-to">to</label>
          <input id="period-to" type="date" value={p.to} min={p.from} max={today} onChange={(e) => value(e) && set('custom', p.from, value(e))} />
        </>
      )}
      <span class="muted small" data-period-from={p.from} data-period-to={p.to}>
        {p.from === p.to ? p.from : `${p.from} – ${p.to}`} (UTC), compared with {p.prevFrom === p.prevTo ? p.prevFrom : `${p.prevFrom} – ${p.prevTo}`}
      </span>
    </div>
  );
}

export function FilterChips({ route }: { route: Route }) {
  const filters = filtersOf(route);
  if (!filters.length) return null;
  const remove = (f: Filter) =>
    navigate(
      withParams(route, (q) => {
        const keep = q.getAll('f').filter((x) => x !== `${f.field}:${f.value}`);
        q.delete('f');
        for (const k of keep) q.append('f', k);
      }),
    );
  return (
    <ul class="chips" aria-label="Filters">
      {filters.map((f) => (
        <li key={f.field + f.value} data-filter={`${f.field}:${f.value}`}>
          <span>
            {FILTER_FIELDS[f.field]} is <strong>{f.value === '' ? 'Direct' : f.value}</strong>
          </span>
          <button type="button" aria-label={`Remove filter ${FILTER_FIELDS[f.field]} is ${f.value === '' ? 'Direct' : f.value}`} onClick={() => remove(f)}>
            ×
          </button>
        </li>
      ))}
      {filters.length > 1 && (
        <li>
          <button type="button" class="link" onClick={() => navigate(withParams(route, (q) => q.delete('f')))}>
            Clear all
          </button>
        </li>
      )}
    </ul>
  );
}

export function addFilter(route: Route, f: Filter): void {
  navigate(
    withParams(route, (q) => {
      const key = `${f.field}:${f.value}`;
      // One value per dimension: picking another country replaces the previous one.
      const keep = q.getAll('f').filter((x) => !x.startsWith(f.field + ':'));
      q.delete('f');
      for (const k of keep) q.append('f', k);
      q.append('f', key);
    }),
  );
}

/** contract Q5: change_pct for client-side comparisons of /query answers, exactly as the API computes it. */
export function changePct(current: number, previous: number): number | null {
  if (previous > 0) return Math.round(((current - previous) / previous) * 100);
  return current > 0 ? null : 0;
}
