// Overview of one project: KPI tiles with the change from the previous period, the time series, and the
// breakdown cards. Clicking a value adds a filter chip (in the URL) that re-scopes the view.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Breakdown, Flag, Insights, Pages, QueryResult, Stats } from '../../../client/api-types.js';
import { api, qs } from '../api.js';
import { addDays, duration, fraction, int } from '../format.js';
import { addFilter, changePct, FilterChips, filtersOf, filtersParam, type Filter, type Period, PeriodPicker, periodOf, queryFilter } from '../period.js';
import type { Route } from '../router.js';
import { Card, Chart, Empty, ErrorBox, Flags, RankList, type Row, Tabs, Tile, useApi } from '../ui.js';

interface Delta {
  current: number;
  previous: number;
  change: number;
  change_pct: number | null;
}

interface TileData {
  source: 'insights' | 'query';
  tiles: { metric: string; label: string; current: number; previous: number; change_pct: number | null; kind: 'int' | 'fraction' | 'ms'; better: 'up' | 'down' }[];
  flags?: Flag[];
}

const QUERY_METRICS = ['event_count', 'unique_users', 'session_count', 'bounce_rate', 'avg_duration'];

/** Good news is a rise for every tile except the bounce rate, where a fall is good. */
const betterOf = (metric: string): 'up' | 'down' => (metric === 'bounce_rate' ? 'down' : 'up');

/** Each part of the overview says when its data is on screen; the view then sets data-loaded="true". */
type Loaded = (part: string, done: boolean) => void;
function useReportLoaded(loaded: Loaded, part: string, done: boolean): void {
  useEffect(() => loaded(part, done), [part, done]);
}
const PARTS = ['tiles', 'series', 'Pages', 'Sources', 'Locations', 'Devices'];

async function loadTiles(project: string, p: Period, filters: Filter[]): Promise<TileData> {
  if (p.insights && !filters.length) {
    const r = await api<Insights>(`/insights${qs({ project, period: p.insights })}`);
    const m = r.metrics as Record<string, Delta>;
    const t = (metric: string, label: string, kind: 'int' | 'fraction' | 'ms') => ({ metric, label, kind, better: betterOf(metric), current: m[metric].current, previous: m[metric].previous, change_pct: m[metric].change_pct });
    return {
      source: 'insights',
      flags: r.flags,
      tiles: [t('total_events', 'Events', 'int'), t('unique_users', 'Unique users', 'int'), t('total_sessions', 'Sessions', 'int'), t('bounce_rate', 'Bounce rate', 'fraction'), t('avg_duration', 'Avg. session', 'ms')],
    };
  }
  const body = (from: string, to: string) => ({ project, metrics: QUERY_METRICS, filters: filters.map(queryFilter), date_from: from, date_to: to });
  const [cur, prev] = await Promise.all([api<QueryResult>('/query', { method: 'POST', body: body(p.from, p.to) }), api<QueryResult>('/query', { method: 'POST', body: body(p.prevFrom, p.prevTo) })]);
  // QUERY_METRICS are all numeric: their cells are numbers (or null), never strings.
  type Cells = Record<string, number | null>;
  const c: Cells = (cur.rows[0] ?? {}) as Cells;
  const v: Cells = (prev.rows[0] ?? {}) as Cells;
  const t = (metric: string, label: string, kind: 'int' | 'fraction' | 'ms') => ({ metric, label, kind, better: betterOf(metric), current: c[metric] ?? 0, previous: v[metric] ?? 0, change_pct: changePct(c[metric] ?? 0, v[metric] ?? 0) });
  return {
    source: 'query',
    tiles: [t('event_count', 'Events', 'int'), t('unique_users', 'Unique users', 'int'), t('session_count', 'Sessions', 'int'), t('bounce_rate', 'Bounce rate', 'fraction'), t('avg_duration', 'Avg. session', 'ms')],
  };
}

const show = (kind: 'int' | 'fraction' | 'ms', n: number) => (kind === 'int' ? int(n) : kind === 'fraction' ? fraction(n) : duration(n));

function Tiles({ project, p, filters, loaded }: { project: string; p: Period; filters: Filter[]; loaded: Loaded }) {
  const r = useApi(() => loadTiles(project, p, filters), [project, p.key, p.from, p.to, JSON.stringify(filters)]);
  useReportLoaded(loaded, 'tiles', !!r.data && !r.loading);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  return (
    <>
      <Flags flags={[r.data?.flags]} />
      <div class="tiles" data-source={r.data?.source} aria-busy={r.loading}>
        {(r.data?.tiles ?? QUERY_METRICS.map((m) => ({ metric: m, label: '…', current: null, previous: 0, change_pct: 0, kind: 'int' as const, better: 'up' as const }))).map((t) => (
          <Tile key={t.metric} metric={t.metric} label={t.label} raw={t.current} value={t.current === null ? '…' : show(t.kind, t.current)} pct={t.current === null ? undefined : t.change_pct} previous={t.current === null ? undefined : show(t.kind, t.previous)} better={t.better} />
        ))}
      </div>
    </>
  );
}

function useSeries({ project, p, filters }: { project: string; p: Period; filters: Filter[] }) {
  const r = useApi(async () => {
    // One /stats answers the chart and the top events; chips (and a custom end date) go as its `filters`.
    const s = await api<Stats>(`/stats${qs({ project, since: p.since, groupBy: p.groupBy, filters: filtersParam(p, filters) })}`);
    const series = s.timeSeries;
    // /stats lists only days with events: chart every day of the window, 0 where it has none (hours stay as given).
    let labels = series.map((b) => b.bucket);
    if (p.groupBy === 'day' && series.length) {
      labels = [];
      for (let d = p.from; d <= p.to; d = addDays(d, 1)) labels.push(d);
    }
    const byBucket = new Map(series.map((b) => [b.bucket, b]));
    return { groupBy: p.groupBy, labels, events: labels.map((l) => byBucket.get(l)?.total_events ?? 0), users: labels.map((l) => byBucket.get(l)?.unique_users ?? 0), top: s.events, flags: s.flags };
  }, [project, p.key, p.from, p.to, JSON.stringify(filters)]);
  return { r };
}

function breakdownRows(values: { value: string; count: number }[], total: number, label?: (v: string) => string): Row[] {
  return values.map((v) => ({ label: label ? label(v.value) : v.value, value: v.value, count: v.count, share: total ? (v.count / total) * 100 : null }));
}

const direct = (v: string) => (v === '' ? 'Direct' : v);

/** One breakdown card: tabs of /breakdown properties (or /pages lists), re-scoped by every chip. */
function BreakdownCard({ title, project, p, filters, route, tabs, loaded }: { title: string; project: string; p: Period; filters: Filter[]; route: Route; tabs: [string, string][]; loaded: Loaded }) {
  const [tab, setTab] = useState(tabs[0][0]);
  const r = useApi(async () => {
    const f = filtersParam(p, filters);
    if (tab === 'entry' || tab === 'exit') {
      const x = await api<Pages>(`/pages${qs({ project, type: tab, since: p.since, limit: 10, filters: f })}`);
      const list = (tab === 'entry' ? x.entry_pages : x.exit_pages) ?? [];
      const total = list.reduce((a, b) => a + b.sessions, 0);
      return { report: tab === 'entry' ? 'entry_pages' : 'exit_pages', pick: true, countLabel: 'sessions', rows: list.map((e) => ({ label: e.page, value: e.page, count: e.sessions, share: total ? (e.sessions / total) * 100 : null })) };
    }
    const b = await api<Breakdown>(`/breakdown${qs({ project, property: tab, since: p.since, limit: 10, filters: f })}`);
    return { report: `breakdown.${tab}`, pick: true, countLabel: 'events', rows: breakdownRows(b.values, b.total_with_property, tab === 'referrer' ? direct : undefined) };
  }, [tab, project, p.key, p.from, p.to, JSON.stringify(filters)]);
  useReportLoaded(loaded, title, !!r.data && !r.loading);
  // Entry and exit pages filter by the page (a path chip), like the top pages.
  const field = tab === 'entry' || tab === 'exit' ? 'path' : tab;
  return (
    <Card title={title}>
      {tabs.length > 1 && <Tabs label={`${title} lists`} tabs={tabs} value={tab} onChange={setTab} />}
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !r.data ? (
        <p class="muted" aria-busy="true">Loading…</p>
      ) : (
        <RankList
          report={r.data.report}
          rows={r.data.rows}
          countLabel={r.data.countLabel}
          onPick={r.data.pick ? (row) => addFilter(route, { field, value: row.value }) : undefined}
          empty={<>No data for this period.</>}
        />
      )}
    </Card>
  );
}

export function OverviewView({ project, route }: { project: string; route: Route }) {
  const p = periodOf(route);
  const filters = filtersOf(route);
  const { r: series } = useSeries({ project, p, filters });
  const s = series.data;
  const noData = s && s.labels.length === 0;
  const [done, setDone] = useState<Record<string, boolean>>({});
  const loaded = useCallback<Loaded>((part, ok) => setDone((d) => (d[part] === ok ? d : { ...d, [part]: ok })), []);
  useReportLoaded(loaded, 'series', !!s && !series.loading);
  return (
    <div class="view" data-view="overview" data-loaded={PARTS.every((k) => done[k]) ? 'true' : 'false'}>
      <div class="toolbar">
        <PeriodPicker route={route} />
      </div>
      <FilterChips route={route} />
      <Tiles project={project} p={p} filters={filters} loaded={loaded} />
      <Card title={`${p.groupBy === 'hour' ? 'Events per hour' : 'Events per day'}${filters.length ? ' (filtered)' : ''}`} id="series">
        <Flags flags={[s?.flags]} />
        {series.error ? (
          <ErrorBox error={series.error} retry={series.reload} />
        ) : !s ? (
          <p class="muted" aria-busy="true">Loading…</p>
        ) : noData ? (
          <Empty>
            No events in this period. Install the tracker: copy the snippet from <a href={`/app/p/${encodeURIComponent(project)}/settings`}>Settings</a> into your site's &lt;head&gt;, then open a page.
          </Empty>
        ) : (
          <>
            <Chart daily={s.groupBy !== 'hour'} title={`Events and unique users per ${s.groupBy}, ${p.from} to ${p.to} (UTC)`} labels={s.labels} series={[{ name: 'Events', values: s.events }, { name: 'Unique users', values: s.users, dashed: true }]} />
            <table class="sr-only" data-report="timeSeries">
              <caption>Events per {s.groupBy}</caption>
              <thead>
                <tr>
                  <th scope="col">Bucket</th>
                  <th scope="col">Events</th>
                  <th scope="col">Unique users</th>
                </tr>
              </thead>
              <tbody>
                {s.labels.map((l, i) => (
                  <tr key={l} data-bucket={l} data-events={s.events[i]} data-users={s.users[i]}>
                    <td>{l}</td>
                    <td>{s.events[i]}</td>
                    <td>{s.users[i]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Card>
      <div class="grid">
        <BreakdownCard title="Pages" project={project} p={p} filters={filters} route={route} loaded={loaded} tabs={[['path', 'Top pages'], ['entry', 'Entry'], ['exit', 'Exit']]} />
        <BreakdownCard title="Sources" project={project} p={p} filters={filters} route={route} loaded={loaded} tabs={[['referrer', 'Referrers'], ['utm_source', 'UTM sources']]} />
        <BreakdownCard title="Locations" project={project} p={p} filters={filters} route={route} loaded={loaded} tabs={[['country', 'Countries']]} />
        <BreakdownCard title="Devices" project={project} p={p} filters={filters} route={route} loaded={loaded} tabs={[['browser', 'Browsers'], ['os', 'OS'], ['device', 'Devices']]} />
        <Card title="Top events">
          {series.error ? (
            <ErrorBox error={series.error} retry={series.reload} />
          ) : !s ? (
            <p class="muted">Loading…</p>
          ) : (
            <RankList report="events" countLabel="events" rows={s.top.map((e) => ({ label: e.event, value: e.event, count: e.count }))} onPick={(row) => addFilter(route, { field: 'event', value: row.value })} empty={<>No events in this period.</>} />
          )}
        </Card>
      </div>
    </div>
  );
}
