// Funnels: pick 2–8 events (names from /properties) and see POST /funnel's conversion per step.
import { useState } from 'preact/hooks';
import { api, qs } from '../api.js';
import { duration, fraction, int } from '../format.js';
import { navigate, type Route } from '../router.js';
import { withParams } from '../period.js';
import { Card, Empty, ErrorBox, useApi } from '../ui.js';

export function FunnelView({ project, route }: { project: string; route: Route }) {
  const steps = (route.query.get('steps') ?? '').split(',').filter(Boolean);
  const since = ['7d', '30d', '90d'].includes(route.query.get('since') ?? '') ? route.query.get('since')! : '30d';
  const names = useApi(() => api(`/properties${qs({ project, since: '90d' })}`), [project]);
  const [draft, setDraft] = useState<string[]>(steps.length >= 2 ? steps : ['', '']);
  const result = useApi(async () => (steps.length >= 2 ? api('/funnel', { method: 'POST', body: { project, steps: steps.map((event) => ({ event })), since } }) : null), [project, steps.join(','), since]);
  const events: string[] = (names.data?.events ?? []).map((e: any) => e.event);
  const run = (e: Event) => {
    e.preventDefault();
    const chosen = draft.filter(Boolean);
    navigate(withParams(route, (q) => { q.set('steps', chosen.join(',')); q.set('since', since); }));
  };
  return (
    <div class="view" data-view="funnels">
      <Card title="Funnel steps">
        {names.error && <ErrorBox error={names.error} retry={names.reload} />}
        <form class="form funnel-form" onSubmit={run}>
          {draft.map((v, i) => (
            <div class="field" key={i}>
              <label for={`step-${i}`}>Step {i + 1}</label>
              <select id={`step-${i}`} value={v} onChange={(e) => setDraft(draft.map((x, j) => (j === i ? (e.target as HTMLSelectElement).value : x)))}>
                <option value="">Choose an event…</option>
                {events.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          ))}
          <div class="row">
            {draft.length < 8 && (
              <button type="button" onClick={() => setDraft([...draft, ''])}>
                Add step
              </button>
            )}
            {draft.length > 2 && (
              <button type="button" onClick={() => setDraft(draft.slice(0, -1))}>
                Remove last step
              </button>
            )}
            <label for="funnel-since">Lookback</label>
            <select id="funnel-since" value={since} onChange={(e) => navigate(withParams(route, (q) => q.set('since', (e.target as HTMLSelectElement).value)))}>
              <option value="7d">7 days</option>
              <option value="30d">30 days</option>
              <option value="90d">90 days</option>
            </select>
            <button type="submit" class="primary" disabled={draft.filter(Boolean).length < 2}>
              Show funnel
            </button>
          </div>
        </form>
      </Card>
      {result.error ? (
        <ErrorBox error={result.error} retry={result.reload} />
      ) : !result.data ? (
        steps.length < 2 ? <Empty>Choose at least two events, in the order people should do them.</Empty> : <p class="muted">Loading…</p>
      ) : (
        <Card title={`Conversion: ${fraction(result.data.overall_conversion_rate)} overall`}>
          {result.data.steps[0].users === 0 ? (
            <Empty>Nobody did the first step in this lookback.</Empty>
          ) : (
            <ol class="rank funnel" data-report="steps" data-overall={result.data.overall_conversion_rate}>
              {result.data.steps.map((s: any) => (
                <li key={s.step} data-value={s.event} data-count={s.users} data-conversion-rate={s.conversion_rate}>
                  <span class="bar" style={{ width: `${(s.users / Math.max(1, result.data.steps[0].users)) * 100}%` }} aria-hidden="true" />
                  <span class="rank-label">
                    {s.step}. {s.event}
                  </span>
                  <span class="rank-count">
                    {int(s.users)} users · {fraction(s.conversion_rate)}
                    {s.avg_time_to_next_ms !== null && <span class="muted small"> · next in {duration(s.avg_time_to_next_ms)}</span>}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      )}
    </div>
  );
}
