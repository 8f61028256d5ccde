// Bot traffic: automated requests filtered at ingestion (/bot-traffic), by category and actor.
import type { BotTraffic } from '../../../client/api-types.js';
import { api, qs } from '../api.js';
import { int } from '../format.js';
import type { Route } from '../router.js';
import { ChoicePicker, choiceOf, DAY_PERIODS } from '../period.js';
import { Card, Change, Empty, ErrorBox, RankList, Sparkline, useApi } from '../ui.js';

export function BotsView({ project, route }: { project: string; route: Route }) {
  const period = choiceOf(route, 'period', DAY_PERIODS, '7d');
  const r = useApi(() => api<BotTraffic>(`/bot-traffic${qs({ project, period, limit: 10 })}`), [project, period]);
  const d = r.data;
  return (
    <div class="view" data-view="bots">
      <div class="toolbar">
        <ChoicePicker id="bot-period" label="Period" route={route} param="period" choices={DAY_PERIODS} value={period} />
      </div>
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !d ? (
        <p class="muted">Loading…</p>
      ) : (
        <>
          <div class="tiles">
            <div class="tile" data-metric="summary.automated_requests" data-value={d.summary.automated_requests.current}>
              <div class="tile-label">Automated requests</div>
              <div class="tile-value">{int(d.summary.automated_requests.current)}</div>
              <div class="tile-change">
                <Change pct={d.summary.automated_requests.change_pct} better="down" />
              </div>
            </div>
            <div class="tile" data-metric="summary.dropped_events" data-value={d.summary.dropped_events.current}>
              <div class="tile-label">Events dropped</div>
              <div class="tile-value">{int(d.summary.dropped_events.current)}</div>
              <div class="tile-change">
                <Change pct={d.summary.dropped_events.change_pct} better="down" />
              </div>
            </div>
            <div class="tile">
              <div class="tile-label">Requests per day</div>
              <Sparkline values={d.time_series.map((x) => x.requests)} label={`Bot requests per day: ${d.time_series.map((x) => x.requests).join(', ')}`} />
            </div>
          </div>
          {d.categories.length === 0 ? (
            <Empty>No bots hit this project's tracking endpoints in this period. Bot requests are never stored as events; only these daily counts are kept.</Empty>
          ) : (
            <div class="grid">
              <Card title="Categories">
                <RankList report="categories" countLabel="requests" rows={d.categories.map((c) => ({ label: c.category.replace(/_/g, ' '), value: c.category, count: c.requests, share: c.share_pct }))} empty={null} />
              </Card>
              <Card title="Top actors">
                <RankList report="actors" countLabel="requests" rows={d.actors.map((a) => ({ label: a.actor, value: a.actor, count: a.requests }))} empty={null} />
              </Card>
            </div>
          )}
        </>
      )}
    </div>
  );
}
