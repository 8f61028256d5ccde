// Experiments: the project's experiments (/experiments) and one experiment's live results (/experiments/{id}).
import { api, qs } from '../api.js';
import { fraction, int } from '../format.js';
import { navigate, type Route } from '../router.js';
import { withParams } from '../period.js';
import { Card, Empty, ErrorBox, Flags, useApi } from '../ui.js';

function Results({ id }: { id: string }) {
  const r = useApi(() => api(`/experiments/${encodeURIComponent(id)}`), [id]);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  const d = r.data;
  if (!d) return <p class="muted">Loading…</p>;
  return (
    <Card title={`${d.name}: ${d.status}`}>
      <Flags flags={[d.flags]} />
      <p data-metric="recommendation">{d.results.recommendation}</p>
      <div class="table-wrap">
        <table class="table" data-report="results.variants">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" class="num">Exposures</th>
              <th scope="col" class="num">Users</th>
              <th scope="col" class="num">Conversions</th>
              <th scope="col" class="num">Rate</th>
              <th scope="col" class="num">P(best)</th>
            </tr>
          </thead>
          <tbody>
            {d.results.variants.map((v: any) => (
              <tr key={v.key} data-value={v.key} data-count={v.unique_users}>
                <th scope="row">{v.key}</th>
                <td class="num">{int(v.exposures)}</td>
                <td class="num">{int(v.unique_users)}</td>
                <td class="num">{int(v.conversions)}</td>
                <td class="num">{fraction(v.conversion_rate)}</td>
                <td class="num">{fraction(d.results.probability_best[v.key])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted small">Goal event: {d.goal_event}. Create and change experiments with the API or CLI (POST /experiments, Pro tier).</p>
    </Card>
  );
}

export function ExperimentsView({ project, route }: { project: string; route: Route }) {
  const r = useApi(() => api(`/experiments${qs({ project })}`), [project]);
  const selected = route.query.get('id');
  const list = r.data?.experiments ?? [];
  return (
    <div class="view" data-view="experiments">
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !r.data ? (
        <p class="muted">Loading…</p>
      ) : list.length === 0 ? (
        <Empty>No experiments in this project. Create one with POST /experiments (Pro tier) or `agent-analytics experiments create`; the tracker assigns variants.</Empty>
      ) : (
        <Card title="Experiments">
          <ul class="plain" data-report="experiments">
            {list.map((e: any) => (
              <li key={e.id} data-value={e.id}>
                <button type="button" class="link" aria-pressed={selected === e.id} onClick={() => navigate(withParams(route, (q) => q.set('id', e.id)))}>
                  {e.name}
                </button>{' '}
                <span class="muted small">
                  {e.status} · goal {e.goal_event} · {e.variants.map((v: any) => v.key).join(' / ')}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {selected && <Results id={selected} />}
    </div>
  );
}
