// Funnels: a step builder (event names and property keys from /properties), optional property filters per
// step, conversion window, lookback and breakdown, all kept in the URL; POST /funnel's answer as bars with the
// drop-off between steps, and one row per breakdown value.
import type { Funnel, Properties } from '../../../client/api-types.js';
import { useState } from 'preact/hooks';
import { api, qs } from '../api.js';
import { duration, fraction, int } from '../format.js';
import { navigate, type Route } from '../router.js';
import { withParams } from '../period.js';
import { Card, Empty, ErrorBox, useApi } from '../ui.js';

const OPS: [string, string][] = [['eq', 'is'], ['neq', 'is not'], ['contains', 'contains']];
const WINDOWS: [string, string][] = [['1', '1 hour'], ['24', '1 day'], ['72', '3 days'], ['168', '7 days'], ['720', '30 days']];

interface StepFilter {
  property: string;
  op: string;
  value: string;
}
interface Step {
  event: string;
  filters: StepFilter[];
}

/**
 * The funnel in the URL: `steps=a,b,c`, one `sf=<step>:<op>:<property>:<value>` per step filter (value last,
 * so it may hold colons), `window` (hours), `breakdown`, `since`.
 */
function stepsOf(route: Route): Step[] {
  const steps: Step[] = (route.query.get('steps') ?? '').split(',').filter(Boolean).map((event) => ({ event, filters: [] }));
  for (const raw of route.query.getAll('sf')) {
    const m = /^(\d+):(eq|neq|contains):([A-Za-z0-9_]{1,128}):(.*)$/s.exec(raw);
    if (m && steps[Number(m[1])]) steps[Number(m[1])].filters.push({ op: m[2], property: m[3], value: m[4] });
  }
  return steps;
}

function FunnelResult({ data }: { data: Funnel }) {
  const first = Math.max(1, data.steps[0].users);
  return (
    <ol class="rank funnel" data-report="steps" data-overall={data.overall_conversion_rate}>
      {data.steps.map((s, i) => {
        const prev = i === 0 ? s.users : data.steps[i - 1].users;
        const dropped = prev - s.users;
        return (
          <li key={s.step} data-value={s.event} data-count={s.users} data-conversion-rate={s.conversion_rate} data-drop-off-rate={s.drop_off_rate}>
            <span class="bar" style={{ width: `${(s.users / first) * 100}%` }} aria-hidden="true" />
            {i > 0 && dropped > 0 && <span class="bar dropped" style={{ left: `${(s.users / first) * 100}%`, width: `${(dropped / first) * 100}%` }} aria-hidden="true" />}
            <span class="rank-label">
              {s.step}. {s.event}
            </span>
            <span class="rank-count">
              {int(s.users)} · {fraction(s.conversion_rate)}
              {i > 0 && <span class="drop"> · {fraction(s.drop_off_rate)} dropped ({int(dropped)})</span>}
              {s.avg_time_to_next_ms !== null && <span class="muted small"> · next in {duration(s.avg_time_to_next_ms)}</span>}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

export function FunnelView({ project, route }: { project: string; route: Route }) {
  const steps = stepsOf(route);
  const since = ['7d', '30d', '90d'].includes(route.query.get('since') ?? '') ? route.query.get('since')! : '30d';
  const windowHours = WINDOWS.some(([h]) => h === route.query.get('window')) ? route.query.get('window')! : '168';
  const breakdown = /^[A-Za-z0-9_]{1,128}$/.test(route.query.get('breakdown') ?? '') ? route.query.get('breakdown')! : '';
  const names = useApi(() => api<Properties>(`/properties${qs({ project, since: '90d' })}`), [project]);
  const [draft, setDraft] = useState<Step[]>(steps.length >= 2 ? steps : [{ event: '', filters: [] }, { event: '', filters: [] }]);
  const [opts, setOpts] = useState({ since, windowHours, breakdown });
  const key = JSON.stringify([steps, since, windowHours, breakdown]);
  const result = useApi(async () => {
    if (steps.length < 2) return null;
    const body = {
      project, since, conversion_window_hours: Number(windowHours),
      steps: steps.map((s) => (s.filters.length ? { event: s.event, filters: s.filters } : { event: s.event })),
      ...(breakdown ? { breakdown, breakdown_limit: 10 } : {}),
    };
    return api<Funnel>('/funnel', { method: 'POST', body });
  }, [project, key]);
  const events: string[] = (names.data?.events ?? []).map((e) => e.event);
  const keys: string[] = names.data?.property_keys ?? [];
  const setStep = (i: number, s: Step) => setDraft(draft.map((x, j) => (j === i ? s : x)));
  const run = (e: Event) => {
    e.preventDefault();
    const chosen = draft.filter((s) => s.event);
    navigate(
      withParams(route, (q) => {
        q.set('steps', chosen.map((s) => s.event).join(','));
        q.delete('sf');
        chosen.forEach((s, i) => s.filters.filter((f) => f.property && f.value !== '').forEach((f) => q.append('sf', `${i}:${f.op}:${f.property}:${f.value}`)));
        q.set('since', opts.since);
        q.set('window', opts.windowHours);
        if (opts.breakdown) q.set('breakdown', opts.breakdown);
        else q.delete('breakdown');
      }),
    );
  };
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <div class="view" data-view="funnels">
      <Card title="Funnel steps">
        {names.error && <ErrorBox error={names.error} retry={names.reload} />}
        <datalist id="property-keys">
          {keys.map((k) => (
            <option key={k} value={k} />
          ))}
        </datalist>
        <form class="form funnel-form" onSubmit={run}>
          {draft.map((s, i) => (
            <fieldset class="step" key={i} data-step={i + 1}>
              <legend>Step {i + 1}</legend>
              <div class="field">
                <label for={`step-${i}`}>Event</label>
                <select id={`step-${i}`} value={s.event} onChange={(e) => setStep(i, { ...s, event: value(e) })}>
                  <option value="">Choose an event…</option>
                  {events.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </div>
              {s.filters.map((f, k) => {
                const setF = (nf: StepFilter) => setStep(i, { ...s, filters: s.filters.map((x, m) => (m === k ? nf : x)) });
                return (
                  <div class="row step-filter" key={k}>
                    <label for={`sf-${i}-${k}-p`}>Property</label>
                    <input id={`sf-${i}-${k}-p`} list="property-keys" size={10} value={f.property} pattern="[A-Za-z0-9_]{1,128}" onInput={(e) => setF({ ...f, property: value(e) })} />
                    <label for={`sf-${i}-${k}-o`} class="sr-only">
                      Operator
                    </label>
                    <select id={`sf-${i}-${k}-o`} value={f.op} onChange={(e) => setF({ ...f, op: value(e) })}>
                      {OPS.map(([o, l]) => (
                        <option key={o} value={o}>
                          {l}
                        </option>
                      ))}
                    </select>
                    <label for={`sf-${i}-${k}-v`}>Value</label>
                    <input id={`sf-${i}-${k}-v`} size={12} value={f.value} onInput={(e) => setF({ ...f, value: value(e) })} />
                    <button type="button" aria-label={`Remove filter ${k + 1} of step ${i + 1}`} onClick={() => setStep(i, { ...s, filters: s.filters.filter((_, m) => m !== k) })}>
                      ×
                    </button>
                  </div>
                );
              })}
              <button type="button" class="link" onClick={() => setStep(i, { ...s, filters: [...s.filters, { property: 'path', op: 'eq', value: '' }] })}>
                Add a property filter to step {i + 1}
              </button>
            </fieldset>
          ))}
          <div class="row">
            {draft.length < 8 && (
              <button type="button" onClick={() => setDraft([...draft, { event: '', filters: [] }])}>
                Add step
              </button>
            )}
            {draft.length > 2 && (
              <button type="button" onClick={() => setDraft(draft.slice(0, -1))}>
                Remove last step
              </button>
            )}
          </div>
          <div class="row">
            <label for="funnel-since">Lookback</label>
            <select id="funnel-since" value={opts.since} onChange={(e) => setOpts({ ...opts, since: value(e) })}>
              <option value="7d">7 days</option>
              <option value="30d">30 days</option>
              <option value="90d">90 days</option>
            </select>
            <label for="funnel-window">Conversion window</label>
            <select id="funnel-window" value={opts.windowHours} onChange={(e) => setOpts({ ...opts, windowHours: value(e) })}>
              {WINDOWS.map(([h, l]) => (
                <option key={h} value={h}>
                  {l}
                </option>
              ))}
            </select>
            <label for="funnel-breakdown">Breakdown</label>
            <select id="funnel-breakdown" value={opts.breakdown} onChange={(e) => setOpts({ ...opts, breakdown: value(e) })}>
              <option value="">None</option>
              {[...new Set(['country', ...keys])].map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
            <button type="submit" class="primary" disabled={draft.filter((s) => s.event).length < 2}>
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
        <>
          <Card title={`Conversion: ${fraction(result.data.overall_conversion_rate)} overall`}>
            {result.data.steps[0].users === 0 ? <Empty>Nobody did the first step in this lookback.</Empty> : <FunnelResult data={result.data} />}
          </Card>
          {result.data.breakdowns && (
            <Card title={`By ${breakdown} (of the step-1 event)`}>
              <div class="table-wrap">
                <table class="table" data-report="breakdowns">
                  <thead>
                    <tr>
                      <th scope="col">{breakdown}</th>
                      {result.data.steps.map((s) => (
                        <th scope="col" class="num" key={s.step}>
                          {s.step}. {s.event}
                        </th>
                      ))}
                      <th scope="col" class="num">
                        Overall
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.data.breakdowns.map((b) => (
                      <tr key={String(b.value)} data-value={b.value ?? ''} data-count={b.steps[0].users} data-overall={b.overall_conversion_rate}>
                        <th scope="row">{b.value === null ? <span class="muted">(none)</span> : b.value === '' ? 'Direct / empty' : b.value}</th>
                        {b.steps.map((s) => (
                          <td class="num" key={s.step}>
                            {int(s.users)}
                            {s.step > 1 && <span class="muted small"> ({fraction(s.conversion_rate)})</span>}
                          </td>
                        ))}
                        <td class="num">{fraction(b.overall_conversion_rate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )}
        </>
      )}
    </div>
  );
}
