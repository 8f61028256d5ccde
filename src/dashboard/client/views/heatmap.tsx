// Heatmap: events per weekday × UTC hour from /heatmap.
import type { Heatmap } from '../../../client/api-types.js';
import { api, qs } from '../api.js';
import { int, utcToday } from '../format.js';
import { PeriodPicker, periodOf } from '../period.js';
import type { Route } from '../router.js';
import { Card, Empty, ErrorBox, Flags, useApi } from '../ui.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function HeatmapView({ project, route }: { project: string; route: Route }) {
  const p = periodOf(route);
  const r = useApi(() => api<Heatmap>(`/heatmap${qs({ project, since: p.since })}`), [project, p.since]);
  const d = r.data;
  const cells = new Map<string, { events: number; users: number }>();
  for (const c of d?.heatmap ?? []) cells.set(`${c.day}:${c.hour}`, c);
  const max = Math.max(1, ...[...cells.values()].map((c) => c.events));
  return (
    <div class="view" data-view="heatmap">
      <div class="toolbar">
        <PeriodPicker route={route} />
      </div>
      {p.to < utcToday() && <p class="note small">The heatmap runs from {p.from} to today: its API takes a start date only.</p>}
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !d ? (
        <p class="muted">Loading…</p>
      ) : (
        <Card title="Events by weekday and hour (UTC)">
          <Flags flags={[d.flags]} />
          {d.heatmap.length === 0 ? (
            <Empty>No events in this period; pick a longer period or install the snippet (Settings).</Empty>
          ) : (
            <>
              {/* peak is null only for an empty heatmap (src/reports/heatmap.ts), so it is set here. */}
              <p data-metric="peak" data-value={d.peak ? `${d.peak.day}:${d.peak.hour}` : ''}>
                Busiest: <strong>{d.busiest_day}</strong>, hour <strong>{d.busiest_hour}:00</strong>; peak {d.peak!.day_name} {d.peak!.hour}:00 with {int(d.peak!.events)} events.
              </p>
              <div class="table-wrap">
                <table class="heat" data-report="heatmap">
                  <caption class="sr-only">Events per weekday (rows) and UTC hour (columns)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      {Array.from({ length: 24 }, (_, h) => (
                        <th scope="col" key={h}>
                          {h}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {DAYS.map((name, day) => (
                      <tr key={day}>
                        <th scope="row">{name}</th>
                        {Array.from({ length: 24 }, (_, h) => {
                          const c = cells.get(`${day}:${h}`);
                          const v = c?.events ?? 0;
                          const level = v ? Math.ceil((v / max) * 5) : 0;
                          return (
                            <td key={h} class={`lv${level}`} data-day={day} data-hour={h} data-value={v} title={`${name} ${h}:00 UTC: ${v} events, ${c?.users ?? 0} users`}>
                              <span class="sr-only">{v}</span>
                            </td>
                          );
                        })}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </Card>
      )}
    </div>
  );
}
