// The shell: who is signed in, the navigation, and which view a /app/… URL shows.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiFailure, onSignedOut } from './api.js';
import { BASE, linkClick, navigate, useRoute } from './router.js';
import { AccessView } from './views/access.js';
import { BotsView } from './views/bots.js';
import { ExperimentsView } from './views/experiments.js';
import { FunnelView } from './views/funnel.js';
import { HeatmapView } from './views/heatmap.js';
import { LiveView } from './views/live.js';
import { OverviewView } from './views/overview.js';
import { RetentionView } from './views/retention.js';
import { SettingsView } from './views/settings.js';
import { SitesView } from './views/sites.js';

interface Session {
  authenticated: boolean;
  account?: { id: string; email: string; tier: string };
  expires_at?: string;
}

function SignIn({ notice, onDone }: { notice: string | null; onDone: (s: Session) => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<Session>('/app/session', { method: 'POST', body: { api_key: key.trim() }, quiet401: true });
      setKey('');
      onDone(s);
    } catch (err) {
      const f = err as ApiFailure;
      setError(f.status === 401 ? 'That API key is not valid — it is unknown or was revoked. Check that you pasted the whole key (aak_ followed by 48 characters).' : f.status === 429 ? `Too many attempts. Retry in ${f.retryAfter ?? 60} s.` : f.message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <h1>Agent Analytics</h1>
      <form onSubmit={submit} class="card" aria-describedby="signin-help">
        <h2>Sign in</h2>
        {notice && (
          <p class="banner info" role="status">
            {notice}
          </p>
        )}
        <label for="api-key">API key</label>
        <input id="api-key" name="api_key" type="password" autocomplete="off" spellcheck={false} required placeholder="aak_…" value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'signin-error' : undefined} />
        {error && (
          <p id="signin-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p id="signin-help" class="muted small">
          Paste the key once: the server keeps you signed in with a session cookie scripts cannot read, and the key is not stored in this browser. The owner key is printed when the server first starts (or set with AA_BOOTSTRAP_API_KEY).
        </p>
      </form>
    </main>
  );
}

const PROJECT_TABS: [string, string][] = [
  ['', 'Overview'],
  ['live', 'Live'],
  ['funnels', 'Funnels'],
  ['retention', 'Retention'],
  ['heatmap', 'Heatmap'],
  ['experiments', 'Experiments'],
  ['bots', 'Bot traffic'],
  ['settings', 'Settings'],
];

function ProjectNav({ project, tab }: { project: string; tab: string }) {
  return (
    <nav class="subnav" aria-label={`Reports of ${project}`}>
      {PROJECT_TABS.map(([t, label]) => (
        <a key={t} href={`${BASE}/p/${encodeURIComponent(project)}${t ? '/' + t : ''}`} aria-current={t === tab ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [bootError, setBootError] = useState<ApiFailure | null>(null);

  useEffect(() => {
    api<Session>('/app/session').then(setSession, (e) => setBootError(e));
    return onSignedOut(() => {
      setNotice('Your session has ended (it expired, or you signed out elsewhere). Sign in again.');
      setSession({ authenticated: false });
    });
  }, []);

  useEffect(() => {
    const t = route.path.match(/^\/p\/[^/]+/) ? 'Agent Analytics · ' + decodeURIComponent(route.path.split('/')[2]) : 'Agent Analytics';
    document.title = t;
  }, [route.path]);

  if (bootError) return <main class="signin"><p class="error" role="alert">The server could not be reached: {bootError.message} <button type="button" onClick={() => location.reload()}>Reload</button></p></main>;
  if (!session) return <p class="boot" role="status">Loading…</p>;
  if (!session.authenticated) {
    return (
      <SignIn
        notice={notice}
        onDone={(s) => {
          setNotice(null);
          setSession(s);
        }}
      />
    );
  }

  const signOut = async () => {
    try {
      await api('/app/session', { method: 'DELETE' });
    } finally {
      setNotice('You are signed out.');
      setSession({ authenticated: false });
      navigate('/', true);
    }
  };

  const parts = route.path.split('/').filter(Boolean).map(decodeURIComponent);
  let view;
  if (parts.length === 0) view = <SitesView route={route} />;
  else if (parts[0] === 'access' && parts.length === 1) view = <AccessView />;
  else if (parts[0] === 'p' && parts[1]) {
    const project = parts[1];
    const tab = parts[2] ?? '';
    const inner =
      tab === '' ? <OverviewView project={project} route={route} />
      : tab === 'live' ? <LiveView project={project} />
      : tab === 'funnels' ? <FunnelView project={project} route={route} />
      : tab === 'retention' ? <RetentionView project={project} route={route} />
      : tab === 'heatmap' ? <HeatmapView project={project} route={route} />
      : tab === 'experiments' ? <ExperimentsView project={project} route={route} />
      : tab === 'bots' ? <BotsView project={project} route={route} />
      : tab === 'settings' ? <SettingsView project={project} />
      : null;
    view = (
      <>
        <div class="project-head">
          <h1>{project}</h1>
          <ProjectNav project={project} tab={tab} />
        </div>
        {inner ?? <p class="empty">This page does not exist. <a href={`${BASE}/p/${encodeURIComponent(project)}`}>Back to the overview</a></p>}
      </>
    );
  } else {
    view = (
      <p class="empty">
        This page does not exist. <a href={`${BASE}/`}>Go to your sites</a>
      </p>
    );
  }

  return (
    <div class="layout" onClick={linkClick}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={`${BASE}/`}>
          Agent Analytics
        </a>
        <nav aria-label="Main">
          <a href={`${BASE}/`} aria-current={parts.length === 0 ? 'page' : undefined}>
            Sites
          </a>
          <a href={`${BASE}/access`} aria-current={parts[0] === 'access' ? 'page' : undefined}>
            Access
          </a>
          <a href="/docs">API docs</a>
        </nav>
        <div class="who">
          <span class="muted small" data-account={session.account?.id}>
            {session.account?.email}
          </span>
          <button type="button" onClick={signOut} data-action="sign-out">
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {view}
      </main>
    </div>
  );
}
