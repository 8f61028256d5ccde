// Experiments: the project's experiments (/experiments), one experiment's live results (/experiments/{id}) with
// probability-best bars and the recommendation, creating one (POST /experiments) and pausing, resuming or
// completing it with a winner (PATCH /experiments/{id}).
import type { Experiment, ExperimentDetail, ExperimentList, Properties } from '../../../client/api-types.js';
import { useState } from 'preact/hooks';
import { api, ApiFailure, qs } from '../api.js';
import { fraction, int } from '../format.js';
import { navigate, type Route } from '../router.js';
import { withParams } from '../period.js';
import { Card, Empty, ErrorBox, Flags, FormError, useApi } from '../ui.js';

function StatusActions({ d, onChanged }: { d: ExperimentDetail; onChanged: () => void }) {
  const best = Object.entries(d.results.probability_best as Record<string, number>).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  const [winner, setWinner] = useState<string>(d.results.sufficient_data ? best : '');
  const [error, setError] = useState<string | null>(null);
  if (d.status === 'completed') {
    return (
      <p data-metric="winner" data-value={d.winner ?? ''}>
        Completed {d.completed_at?.slice(0, 10)}; winner: <strong>{d.winner ?? 'none chosen'}</strong>.
      </p>
    );
  }
  const patch = async (body: object) => {
    setError(null);
    try {
      await api(`/experiments/${encodeURIComponent(d.id)}`, { method: 'PATCH', body });
      onChanged();
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };
  return (
    <div class="row experiment-actions">
      {d.status === 'active' ? (
        <button type="button" onClick={() => patch({ status: 'paused' })}>
          Pause
        </button>
      ) : (
        <button type="button" onClick={() => patch({ status: 'active' })}>
          Resume
        </button>
      )}
      <label for="exp-winner">Winner</label>
      <select id="exp-winner" value={winner} onChange={(e) => setWinner((e.target as HTMLSelectElement).value)}>
        <option value="">No winner</option>
        {d.variants.map((v) => (
          <option key={v.key} value={v.key}>
            {v.key}
          </option>
        ))}
      </select>
      <button type="button" class="primary" onClick={() => patch(winner ? { status: 'completed', winner } : { status: 'completed' })}>
        Complete experiment
      </button>
      <FormError message={error} />
    </div>
  );
}

function Results({ id, onChanged }: { id: string; onChanged: () => void }) {
  const r = useApi(() => api<ExperimentDetail>(`/experiments/${encodeURIComponent(id)}`), [id]);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  const d = r.data;
  if (!d) return <p class="muted">Loading…</p>;
  const changed = () => {
    r.reload();
    onChanged();
  };
  return (
    <Card title={`${d.name}: ${d.status}`}>
      <Flags flags={[d.flags]} />
      <p data-metric="recommendation" data-value={d.results.recommendation}>
        {d.results.recommendation}
      </p>
      <div class="table-wrap">
        <table class="table" data-report="results.variants">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col" class="num">Exposures</th>
              <th scope="col" class="num">Users</th>
              <th scope="col" class="num">Conversions</th>
              <th scope="col" class="num">Rate</th>
              <th scope="col" class="num">Lift</th>
              <th scope="col">Probability best</th>
            </tr>
          </thead>
          <tbody>
            {d.results.variants.map((v) => {
              const p = d.results.probability_best[v.key] ?? 0;
              const lift = d.results.lift[v.key] ?? 0;
              return (
                <tr key={v.key} data-value={v.key} data-count={v.unique_users} data-probability-best={p}>
                  <th scope="row">{v.key}</th>
                  <td class="num">{int(v.exposures)}</td>
                  <td class="num">{int(v.unique_users)}</td>
                  <td class="num">{int(v.conversions)}</td>
                  <td class="num">{fraction(v.conversion_rate)}</td>
                  <td class="num">{`${lift > 0 ? '+' : lift < 0 ? '−' : ''}${Math.abs(Math.round(lift * 1000) / 10).toFixed(1)} %`}</td>
                  <td>
                    <span class="pbest">
                      <span class="pbest-bar" style={{ width: `${p * 100}%` }} aria-hidden="true" />
                      <span class="pbest-text">{fraction(p)}</span>
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="muted small">
        Goal event: {d.goal_event}. {d.results.sufficient_data ? 'Every variant has enough exposures.' : 'Each variant needs about 100 exposures before the result can be trusted.'}
      </p>
      <StatusActions key={d.status} d={d} onChanged={changed} />
    </Card>
  );
}

function CreateExperiment({ project, events, onCreated }: { project: string; events: string[]; onCreated: (id: string) => void }) {
  const [name, setName] = useState('');
  const [variants, setVariants] = useState('control, variant_b');
  const [goal, setGoal] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const x = await api<Experiment>('/experiments', { method: 'POST', body: { project, name: name.trim(), variants: variants.split(',').map((v) => v.trim()).filter(Boolean), goal_event: goal.trim() } });
      setName('');
      onCreated(x.id);
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };
  const value = (e: Event) => (e.target as HTMLInputElement).value;
  return (
    <Card title="New experiment">
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label for="exp-name">Name</label>
          <input id="exp-name" required pattern="[a-zA-Z0-9_\-]{1,64}" value={name} onInput={(e) => setName(value(e))} aria-describedby="exp-name-help" />
          <span id="exp-name-help" class="muted small">
            Letters, digits, dash, underscore; the tracker and your code use it.
          </span>
        </div>
        <div class="field">
          <label for="exp-variants">Variants (2–4, comma-separated; the first is the control)</label>
          <input id="exp-variants" required value={variants} onInput={(e) => setVariants(value(e))} />
        </div>
        <div class="field">
          <label for="exp-goal">Goal event</label>
          <input id="exp-goal" required list="exp-events" value={goal} onInput={(e) => setGoal(value(e))} />
          <datalist id="exp-events">
            {events.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
        </div>
        <button type="submit" class="primary">
          Create experiment
        </button>
        <FormError message={error} />
      </form>
    </Card>
  );
}

export function ExperimentsView({ project, route }: { project: string; route: Route }) {
  const r = useApi(() => api<ExperimentList>(`/experiments${qs({ project })}`), [project]);
  const names = useApi(() => api<Properties>(`/properties${qs({ project, since: '90d' })}`), [project]);
  const selected = route.query.get('id');
  const list = r.data?.experiments ?? [];
  const select = (id: string) => navigate(withParams(route, (q) => q.set('id', id)));
  return (
    <div class="view" data-view="experiments">
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !r.data ? (
        <p class="muted">Loading…</p>
      ) : list.length === 0 ? (
        <Empty>No experiments in this project yet. Create one below; the tracker assigns variants (aa.experiment(name)) and the results fill in as exposures and goal events arrive.</Empty>
      ) : (
        <Card title="Experiments">
          <ul class="plain" data-report="experiments">
            {list.map((e) => (
              <li key={e.id} data-value={e.id} data-status={e.status}>
                <button type="button" class="link" aria-pressed={selected === e.id} onClick={() => select(e.id)}>
                  {e.name}
                </button>{' '}
                <span class={`status ${e.status}`}>{e.status}</span>{' '}
                <span class="muted small">
                  goal {e.goal_event} · {e.variants.map((v) => v.key).join(' / ')}
                  {e.winner ? ` · winner ${e.winner}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {selected && <Results key={selected} id={selected} onChanged={r.reload} />}
      <CreateExperiment
        project={project}
        events={(names.data?.events ?? []).map((e) => e.event)}
        onCreated={(id) => {
          r.reload();
          select(id);
        }}
      />
    </div>
  );
}
