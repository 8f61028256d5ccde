// Retention: the cohort grid of /retention with a colour scale on the rates.
import type { Retention } from '../../../client/api-types.js';
import { api, qs } from '../api.js';
import { int } from '../format.js';
import type { Route } from '../router.js';
import { ChoicePicker, choiceOf } from '../period.js';
import { Card, Empty, ErrorBox, Flags, useApi } from '../ui.js';

const COHORTS: [string, string][] = [['day', 'Day'], ['week', 'Week'], ['month', 'Month']];

export function RetentionView({ project, route }: { project: string; route: Route }) {
  const period = choiceOf(route, 'period', COHORTS, 'week');
  const r = useApi(() => api<Retention>(`/retention${qs({ project, period, cohorts: 8 })}`), [project, period]);
  const d = r.data;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}`;
  return (
    <div class="view" data-view="retention">
      <div class="toolbar">
        <ChoicePicker id="ret-period" label="Cohorts by" route={route} param="period" choices={COHORTS} value={period} />
      </div>
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !d ? (
        <p class="muted">Loading…</p>
      ) : (
        <Card title={`Retention by ${period} (share of each cohort active again)`}>
          <Flags flags={[d.flags]} />
          {d.cohorts.length === 0 ? (
            <Empty>No identified users yet: retention needs events with a user_id (the tracker sets one for every visitor).</Empty>
          ) : (
            <div class="table-wrap">
              <table class="heat retention" data-report="cohorts">
                <thead>
                  <tr>
                    <th scope="col">Cohort</th>
                    <th scope="col" class="num">
                      Users
                    </th>
                    {d.average_rates.map((_: number, j: number) => (
                      <th scope="col" key={j}>
                        {period[0].toUpperCase()}
                        {j}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {d.cohorts.map((c) => (
                    <tr key={c.date} data-cohort={c.date} data-users={c.users}>
                      <th scope="row">{c.date}</th>
                      <td class="num">{int(c.users)}</td>
                      {c.rates.map((x: number, j: number) => (
                        <td key={j} class={`lv${x === 0 ? 0 : Math.min(5, Math.ceil(x * 5))}`} data-value={x} title={`${c.retained[j]} of ${c.users} users`}>
                          {pct(x)} %
                        </td>
                      ))}
                    </tr>
                  ))}
                  <tr data-report="average_rates">
                    <th scope="row">Average</th>
                    <td class="num">{int(d.users_analyzed)}</td>
                    {d.average_rates.map((x: number, j: number) => (
                      <td key={j} data-value={x}>
                        {pct(x)} %
                      </td>
                    ))}
                  </tr>
                </tbody>
              </table>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
