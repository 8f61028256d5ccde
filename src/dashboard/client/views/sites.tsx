// Every project of the account with its events this period against the previous one and its own daily
// sparkline (from /account/all-sites), the account's totals, and creating a project with its snippet.
import type { AllSites, ProjectCreated } from '../../../client/api-types.js';
import { useState } from 'preact/hooks';
import { api, ApiFailure, qs } from '../api.js';
import { int } from '../format.js';
import type { Route } from '../router.js';
import { ChoicePicker, choiceOf, DAY_PERIODS } from '../period.js';
import { Card, Change, CopyButton, Empty, ErrorBox, Flags, FormError, Sparkline, useApi } from '../ui.js';

function CreateProject({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [origins, setOrigins] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; snippet: string; existing?: boolean } | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const p = await api<ProjectCreated>('/projects', { method: 'POST', body: { name: name.trim(), ...(origins.trim() ? { allowed_origins: origins.trim() } : {}) } });
      setCreated(p);
      setName('');
      setOrigins('');
      onCreated();
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };
  return (
    <Card title="New project">
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label for="new-name">Name</label>
          <input id="new-name" required pattern="[a-zA-Z0-9._\-]{1,64}" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} aria-describedby="new-name-help" />
          <span id="new-name-help" class="muted small">
            Letters, digits, dot, dash, underscore; it goes into the snippet.
          </span>
        </div>
        <div class="field">
          <label for="new-origins">Allowed origins (optional)</label>
          <input id="new-origins" placeholder="https://example.com" value={origins} onInput={(e) => setOrigins((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="primary">
          Create project
        </button>
        <FormError message={error} />
      </form>
      {created && (
        <div class="snippet" data-created={created.name} role="status">
          <p>
            {created.existing ? 'A project with this name already exists; here is its snippet.' : `Project ${created.name} created.`} Paste this into the &lt;head&gt; of every page:
          </p>
          <pre>
            <code>{created.snippet}</code>
          </pre>
          <CopyButton text={created.snippet} label="Copy snippet" />{' '}
          <a href={`/app/p/${encodeURIComponent(created.name)}`}>Open its dashboard</a>
        </div>
      )}
    </Card>
  );
}

export function SitesView({ route }: { route: Route }) {
  const period = choiceOf(route, 'period', DAY_PERIODS, '7d');
  const r = useApi(() => api<AllSites>(`/account/all-sites${qs({ period, limit: 50 })}`), [period]);
  const d = r.data;
  return (
    <div class="view" data-view="sites">
      <div class="toolbar">
        <h1>Sites</h1>
        <ChoicePicker id="sites-period" label="Period" route={route} param="period" choices={DAY_PERIODS} value={period} />
      </div>
      {r.error ? (
        <ErrorBox error={r.error} retry={r.reload} />
      ) : !d ? (
        <p class="muted" aria-busy="true">
          Loading…
        </p>
      ) : (
        <>
          <Flags flags={[d.flags]} />
          <div class="tiles">
            <div class="tile" data-metric="summary.total_events" data-value={d.summary.total_events.current}>
              <div class="tile-label">Events, all sites</div>
              <div class="tile-value">{int(d.summary.total_events.current)}</div>
              <div class="tile-change">
                <Change pct={d.summary.total_events.change_pct} /> <span class="muted">from {int(d.summary.total_events.previous)}</span>
              </div>
            </div>
            <div class="tile" data-metric="summary.active_projects" data-value={d.summary.active_projects}>
              <div class="tile-label">Active sites</div>
              <div class="tile-value">
                {int(d.summary.active_projects)} <span class="muted small">of {int(d.summary.total_projects)}</span>
              </div>
            </div>
            <div class="tile">
              <div class="tile-label">Daily events</div>
              <Sparkline values={d.time_series.map((x) => x.events)} label={`Daily events of all sites, ${d.period.from} to ${d.period.to}: ${d.time_series.map((x) => x.events).join(', ')}`} />
            </div>
          </div>
          <Card title="Projects">
            {d.projects.length === 0 ? (
              <Empty>No projects yet. Create one below, then paste its snippet into your site.</Empty>
            ) : (
              <div class="table-wrap">
                <table class="table" data-report="projects">
                  <thead>
                    <tr>
                      <th scope="col">Project</th>
                      <th scope="col" class="num">
                        Events
                      </th>
                      <th scope="col">vs previous</th>
                      <th scope="col">Daily</th>
                      <th scope="col" class="num">
                        Share
                      </th>
                      <th scope="col">Last active</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.projects.map((p) => (
                      <tr key={p.id} data-value={p.name} data-count={p.events}>
                        <th scope="row">
                          <a href={`/app/p/${encodeURIComponent(p.name)}`}>{p.name}</a>
                        </th>
                        <td class="num">{int(p.events)}</td>
                        <td data-previous={p.previous_events}>
                          <Change pct={p.change_pct} /> <span class="muted small">from {int(p.previous_events)}</span>
                        </td>
                        <td data-daily={p.daily_events.join(',')}>
                          <Sparkline values={p.daily_events} label={`Daily events of ${p.name}, ${d.period.from} to ${d.period.to}: ${p.daily_events.join(', ')}`} />
                        </td>
                        <td class="num">{p.share_pct.toFixed(1)} %</td>
                        <td>{p.last_active_date ?? <span class="muted">no events yet</span>}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {d.remaining_projects > 0 && <p class="muted small">{d.remaining_projects} more projects not shown.</p>}
              </div>
            )}
          </Card>
        </>
      )}
      <CreateProject onCreated={r.reload} />
    </div>
  );
}
