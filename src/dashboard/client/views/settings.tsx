// Settings of one project: allowed origins, the token and snippet, API-key rotation (the new key shown once)
// and deleting the project after typing its name.
import type { KeyRotated, ProjectDetail } from '../../../client/api-types.js';
import { useState } from 'preact/hooks';
import { api, ApiFailure } from '../api.js';
import { navigate } from '../router.js';
import { Card, CopyButton, ErrorBox, FormError, ShownOnce, useApi } from '../ui.js';

export function SettingsView({ project }: { project: string }) {
  const r = useApi(() => api<ProjectDetail>(`/projects/${encodeURIComponent(project)}`), [project]);
  const [origins, setOrigins] = useState<string | null>(null);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [newKey, setNewKey] = useState<string | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [confirmName, setConfirmName] = useState('');
  const [deleteError, setDeleteError] = useState<string | null>(null);
  if (r.error) return <ErrorBox error={r.error} retry={r.reload} />;
  const p = r.data;
  if (!p) return <p class="muted">Loading…</p>;
  const snippet = `<script defer src="${location.origin}/tracker.js" data-project="${p.name}" data-token="${p.project_token}"></script>`;

  const saveOrigins = async (e: Event) => {
    e.preventDefault();
    setMsg(null);
    try {
      await api(`/projects/${encodeURIComponent(p.id)}`, { method: 'PATCH', body: { allowed_origins: (origins ?? p.allowed_origins).trim() } });
      setMsg({ ok: true, text: 'Allowed origins saved.' });
      r.reload();
    } catch (err) {
      setMsg({ ok: false, text: (err as ApiFailure).message });
    }
  };
  return (
    <div class="view" data-view="settings">
      <Card title="Tracking snippet">
        <p>Paste into the &lt;head&gt; of every page. The token is public (it sits in the page); it only allows sending events.</p>
        <pre>
          <code data-snippet>{snippet}</code>
        </pre>
        <CopyButton text={snippet} label="Copy snippet" />
        <p class="small">
          Project token: <code data-token>{p.project_token}</code>
        </p>
      </Card>
      <Card title="Allowed origins">
        <form class="form" onSubmit={saveOrigins}>
          <div class="field">
            <label for="origins">Origins that may send events</label>
            <input id="origins" value={origins ?? p.allowed_origins} onInput={(e) => setOrigins((e.target as HTMLInputElement).value)} aria-describedby="origins-help" />
            <span id="origins-help" class="muted small">
              * for any, or a comma-separated list such as https://example.com, https://www.example.com
            </span>
          </div>
          <button type="submit">Save origins</button>
          {msg && (
            <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'}>
              {msg.text}
            </p>
          )}
        </form>
      </Card>
      <Card title="API key">
        <p>Rotating revokes the key you signed in with at once (scripts and agents using it stop working) and shows a new one, only once. This browser stays signed in.</p>
        {newKey ? (
          <ShownOnce secret={newKey} what="Your new API key" attr="data-new-key" onDone={() => setNewKey(null)} />
        ) : confirmRotate ? (
          <p>
            <button
              type="button"
              class="danger"
              onClick={async () => {
                try {
                  const x = await api<KeyRotated>('/account/revoke-key', { method: 'POST' });
                  setNewKey(x.api_key);
                } catch (err) {
                  setMsg({ ok: false, text: (err as ApiFailure).message });
                }
                setConfirmRotate(false);
              }}
            >
              Yes, rotate the key
            </button>{' '}
            <button type="button" onClick={() => setConfirmRotate(false)}>
              Cancel
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirmRotate(true)}>
            Rotate API key…
          </button>
        )}
      </Card>
      <Card title="Delete project">
        <form
          class="form"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api(`/projects/${encodeURIComponent(p.id)}`, { method: 'DELETE' });
              navigate('/');
            } catch (err) {
              setDeleteError((err as ApiFailure).message);
            }
          }}
        >
          <p>The tracking token stops working at once and the project's reports disappear. Type the project name to confirm.</p>
          <div class="field">
            <label for="confirm-name">Project name</label>
            <input id="confirm-name" autocomplete="off" value={confirmName} onInput={(e) => setConfirmName((e.target as HTMLInputElement).value)} />
          </div>
          <button type="submit" class="danger" disabled={confirmName !== p.name}>
            Delete {p.name}
          </button>
          <FormError message={deleteError} />
        </form>
      </Card>
    </div>
  );
}
