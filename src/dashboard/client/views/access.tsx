// Access to the account: named API keys (create with scopes, projects and an expiry, the key shown once; delete)
// and agent sessions (who has one, with what scopes; revoke). Everything goes through /account/keys and
// /account/agent-sessions, the same API the CLI uses.
import { useState } from 'preact/hooks';
import type { AgentSessionList, CreatedKey, KeyList, ProjectList } from '../../../client/api-types.js';
import { api, ApiFailure } from '../api.js';
import { date } from '../format.js';
import { Card, Empty, ErrorBox, FormError, ShownOnce, Table, useApi } from '../ui.js';

/** The scopes a read-only key needs, preselected: reading reports and listing projects. */
const READ_ONLY = ['analytics:read', 'projects:read'];

const when = (iso: string | null, none: string) => (iso ? date(iso) : none);

export function AccessView() {
  return (
    <div class="view" data-view="access">
      <h1>Access</h1>
      <p class="muted">
        Give scripts and agents their own key with only the scopes they need, instead of your owner key. Agents that sign in through the
        browser (the CLI's <code>login</code>, MCP clients) appear under agent sessions.
      </p>
      <Keys />
      <Sessions />
    </div>
  );
}

function Keys() {
  const r = useApi(() => Promise.all([api<KeyList>('/account/keys'), api<ProjectList>('/projects')]), []);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  if (!r.data) return <p class="muted">Loading…</p>;
  const [{ keys, available_scopes: scopes }, { projects }] = r.data;

  const remove = async (id: string) => {
    setError(null);
    try {
      await api(`/account/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setConfirm(null);
      r.reload();
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };

  return (
    <>
      <Card title="API keys">
        {created && (
          <ShownOnce secret={created} what="Your new key" attr="data-new-named-key" onDone={() => setCreated(null)} />
        )}
        {keys.length === 0 ? (
          <Empty>No named keys yet. Create one below for each script or agent.</Empty>
        ) : (
          <Table report="keys" head={['Name', 'Scopes', 'Projects', 'Created', 'Expires', 'Last used', '']}>
            {keys.map((k) => (
              <tr key={k.id} data-key-id={k.id}>
                <td>{k.name}</td>
                <td>{k.scopes.join(', ')}</td>
                <td>{k.projects ? k.projects.map((p) => p.name).join(', ') : 'all'}</td>
                <td>{date(k.created_at)}</td>
                <td>{when(k.expires_at, 'never')}</td>
                <td>{when(k.last_used_at, 'not yet')}</td>
                <td>
                  {confirm === k.id ? (
                    <>
                      <button type="button" class="danger" onClick={() => remove(k.id)}>
                        Delete {k.name}
                      </button>{' '}
                      <button type="button" onClick={() => setConfirm(null)}>
                        Cancel
                      </button>
                    </>
                  ) : (
                    <button type="button" onClick={() => setConfirm(k.id)} aria-label={`Delete key ${k.name}…`}>
                      Delete…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <FormError message={error} />
      </Card>
      <Card title="Create a key">
        <CreateKey
          scopes={scopes}
          projects={projects}
          onCreated={(key) => {
            setCreated(key);
            r.reload();
          }}
        />
      </Card>
    </>
  );
}

function CreateKey({ scopes, projects, onCreated }: { scopes: KeyList['available_scopes']; projects: { id: string; name: string }[]; onCreated: (key: string) => void }) {
  const [name, setName] = useState('');
  const [picked, setPicked] = useState<string[]>(READ_ONLY);
  const [only, setOnly] = useState<string[]>([]);
  const [days, setDays] = useState('');
  const [error, setError] = useState<string | null>(null);
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { name: name.trim(), scopes: picked, ...(only.length ? { projects: only } : {}), ...(days ? { expires_in_days: Number(days) } : {}) };
      const res = await api<CreatedKey>('/account/keys', { method: 'POST', body });
      setName('');
      setPicked(READ_ONLY);
      setOnly([]);
      setDays('');
      onCreated(res.api_key);
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };

  return (
    <form class="form" onSubmit={submit} data-form="create-key">
      <div class="field">
        <label for="key-name">Name</label>
        <input id="key-name" required maxLength={128} value={name} placeholder="weekly report agent" onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <fieldset class="step">
        <legend>What it may do</legend>
        {scopes.map((s) => (
          <label class="check" key={s.scope}>
            <input type="checkbox" value={s.scope} checked={picked.includes(s.scope)} onChange={(e) => setPicked(toggle(picked, s.scope, (e.target as HTMLInputElement).checked))} />
            <span>
              <code>{s.scope}</code> <span class="muted small">{s.description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {projects.length > 0 && (
        <fieldset class="step">
          <legend>Projects it sees (none ticked: all)</legend>
          {projects.map((p) => (
            <label class="check" key={p.id}>
              <input type="checkbox" value={p.name} checked={only.includes(p.name)} onChange={(e) => setOnly(toggle(only, p.name, (e.target as HTMLInputElement).checked))} />
              {p.name}
            </label>
          ))}
        </fieldset>
      )}
      <div class="field">
        <label for="key-days">Expires after (days)</label>
        <input id="key-days" type="number" min={1} max={3650} value={days} placeholder="never" aria-describedby="key-days-help" onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        <span id="key-days-help" class="muted small">
          Leave empty for a key that does not expire.
        </span>
      </div>
      <button type="submit" disabled={picked.length === 0 || name.trim() === ''}>
        Create key
      </button>
      <FormError message={error} />
    </form>
  );
}

function Sessions() {
  const r = useApi(() => api<AgentSessionList>('/account/agent-sessions'), []);
  const [error, setError] = useState<string | null>(null);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  if (!r.data) return <p class="muted">Loading…</p>;
  const sessions = r.data.agent_sessions;
  const revoke = async (id: string) => {
    setError(null);
    try {
      await api('/agent-sessions/revoke', { method: 'POST', body: { session_id: id } });
      r.reload();
    } catch (err) {
      setError((err as ApiFailure).message);
    }
  };
  return (
    <Card title="Agent sessions">
      {sessions.length === 0 ? (
        <Empty>No agent is signed in. Agents sign in with the CLI's login command or an MCP client, and you approve them in this browser.</Empty>
      ) : (
        <Table report="agent-sessions" head={['Client', 'Scopes', 'Signed in', 'Last used', 'Renewable until', '']}>
          {sessions.map((s) => (
            <tr key={s.id} data-session-id={s.id}>
              <td>
                {s.client_name ?? s.client_type} <span class="muted small">({s.client_type})</span>
              </td>
              <td>{s.scopes.join(', ')}</td>
              <td>{date(s.created_at)}</td>
              <td>{when(s.last_used_at, 'not yet')}</td>
              <td>{date(s.refresh_expires_at)}</td>
              <td>
                <button type="button" onClick={() => revoke(s.id)} aria-label={`Revoke ${s.client_name ?? s.client_type}`}>
                  Revoke
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <FormError message={error} />
    </Card>
  );
}
