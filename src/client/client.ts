// The one typed HTTP client of the API, shared by the CLI and the MCP server. It speaks HTTP through a
// pluggable transport: fetch for a (local or remote) server, app.inject when the MCP route runs in-process.
import type * as T from './api-types.js';

export interface HttpRequest { method: string; path: string; headers: Record<string, string>; body?: string }
export interface HttpResponse { status: number; headers: Record<string, string | string[] | undefined>; body: string }
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

export const USER_AGENT = 'agent-analytics-cli/0.1 (+https://github.com/agent-analytics)';

/** Any failure: a server error body ({error, message, ...extra}) or a client-side problem (status 0). */
export class ClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, status: this.status, ...this.extra, ...(this.retryAfter !== null ? { retry_after: this.retryAfter } : {}) };
  }
}

/** Transport over fetch to `baseUrl`; unreachable servers become ClientError(0, 'UNREACHABLE'). */
export function fetchTransport(baseUrl: string, timeoutMs = 30_000): HttpTransport {
  const base = baseUrl.replace(/\/+$/, '');
  return async (req) => {
    let res: Response;
    try {
      res = await fetch(base + req.path, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err as Error).message;
      throw new ClientError(0, 'UNREACHABLE', `cannot reach ${base} (${cause}); check the URL (--url, AA_URL or \`agent-analytics login\`) and that the server runs (\`agent-analytics serve\`)`);
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((value, name) => { headers[name] = value; });
    return { status: res.status, headers, body: await res.text() };
  };
}

type Query = Record<string, string | number | boolean | undefined | null>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

const header = (h: HttpResponse['headers'], name: string): string | undefined => {
  const v = h[name] ?? h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

export interface ClientOptions {
  baseUrl: string;
  /** Any credential: the owner key or a named key (aak_), or an agent access token (aas_). */
  apiKey?: string | null;
  /** With an agent session: its aar_ refresh token; a 401 then refreshes once and retries. */
  refreshToken?: string | null;
  /** Called with the new token pair after a refresh, so the caller can save it. */
  onRefresh?: (session: T.AgentSessionTokens) => void | Promise<void>;
  transport?: HttpTransport;
}

/** How a credential travels: agent tokens as Authorization: Bearer (Appendix A), keys as X-API-Key. */
export function credentialHeaders(credential: string): Record<string, string> {
  return credential.startsWith('aas_') ? { authorization: `Bearer ${credential}` } : { 'x-api-key': credential };
}

export class AnalyticsClient {
  readonly baseUrl: string;
  private key: string | null;
  private refreshToken: string | null;
  private readonly onRefresh: ClientOptions['onRefresh'];
  private readonly transport: HttpTransport;

  constructor(opts: ClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.key = opts.apiKey ?? null;
    this.refreshToken = opts.refreshToken ?? null;
    this.onRefresh = opts.onRefresh;
    this.transport = opts.transport ?? fetchTransport(this.baseUrl);
  }

  get apiKey(): string | null {
    return this.key;
  }

  /** Use another key from now on (after a rotation, so a long-lived MCP session keeps working). */
  useApiKey(key: string): void {
    this.key = key;
  }

  /** One API call; resolves with the parsed JSON body, rejects with ClientError. */
  async request<R>(method: string, path: string, opts: { query?: Query; body?: unknown; auth?: boolean } = {}): Promise<R> {
    try {
      return await this.once<R>(method, path, opts);
    } catch (err) {
      if (!(err instanceof ClientError) || err.status !== 401 || opts.auth === false || !this.refreshToken) throw err;
      await this.refresh();
      return this.once<R>(method, path, opts);
    }
  }

  /** Trade the refresh token for a new pair (it rotates), use it from now on and hand it to onRefresh. */
  async refresh(): Promise<T.AgentSessionTokens> {
    const { agent_session } = await this.once<{ agent_session: T.AgentSessionTokens }>('POST', '/agent-sessions/refresh', { body: { refresh_token: this.refreshToken }, auth: false });
    this.key = agent_session.access_token;
    this.refreshToken = agent_session.refresh_token;
    await this.onRefresh?.(agent_session);
    return agent_session;
  }

  private async once<R>(method: string, path: string, opts: { query?: Query; body?: unknown; auth?: boolean }): Promise<R> {
    let headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT };
    if (opts.auth !== false) {
      if (!this.apiKey) throw new ClientError(0, 'NO_API_KEY', 'no API key configured: run `agent-analytics login --url <server>` (browser approval) or `--key <aak_…>`, or set AA_API_KEY');
      headers = { ...headers, ...credentialHeaders(this.apiKey) };
    }
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await this.transport({ method, path: path + queryString(opts.query), headers, body });
    let parsed: unknown = null;
    try {
      parsed = res.body ? JSON.parse(res.body) : null;
    } catch {
      if (res.status < 400) throw new ClientError(res.status, 'BAD_RESPONSE', `${method} ${path} answered ${res.status} with non-JSON content; is ${this.baseUrl} an Agent Analytics server?`);
    }
    if (res.status >= 400) {
      const b = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
      const { error, message, ...extra } = b;
      const retry = header(res.headers, 'retry-after');
      throw new ClientError(res.status, typeof error === 'string' ? error : `HTTP_${res.status}`, typeof message === 'string' ? message : `${method} ${path} failed with HTTP ${res.status}`, extra, retry !== undefined && retry !== '' ? Number(retry) : null);
    }
    return parsed as R;
  }

  health() { return this.request<{ status: string; service: string }>('GET', '/health', { auth: false }); }

  // Account and projects
  account(q: { include?: 'usage' } = {}) { return this.request<T.Account>('GET', '/account', { query: q }); }
  revokeKey() { return this.request<T.KeyRotated>('POST', '/account/revoke-key'); }
  keys() { return this.request<T.KeyList>('GET', '/account/keys'); }
  createKey(body: T.CreateKeyInput) { return this.request<T.CreatedKey>('POST', '/account/keys', { body }); }
  deleteKey(id: string) { return this.request<{ ok: boolean; id: string }>('DELETE', `/account/keys/${encodeURIComponent(id)}`); }

  // Agent sessions (browser-approved sign-in)
  startAgentSession(body: T.StartAgentSessionInput) { return this.request<T.AgentSessionStarted>('POST', '/agent-sessions/start', { body, auth: false }); }
  pollAgentSession(authRequestId: string, pollToken: string) { return this.request<T.AgentSessionPolled>('POST', '/agent-sessions/poll', { body: { auth_request_id: authRequestId, poll_token: pollToken }, auth: false }); }
  exchangeAgentSession(body: { auth_request_id: string; exchange_code: string; code_verifier?: string }) { return this.request<T.AgentSessionExchanged>('POST', '/agent-sessions/exchange', { body, auth: false }); }
  agentSessions() { return this.request<T.AgentSessionList>('GET', '/account/agent-sessions'); }
  revokeAgentSession(sessionId?: string) { return this.request<{ ok: boolean; session_id: string }>('POST', '/agent-sessions/revoke', { body: sessionId ? { session_id: sessionId } : {} }); }
  projects() { return this.request<T.ProjectList>('GET', '/projects'); }
  createProject(body: T.CreateProjectInput) { return this.request<T.ProjectCreated>('POST', '/projects', { body }); }
  project(id: string) { return this.request<T.ProjectDetail>('GET', `/projects/${encodeURIComponent(id)}`); }
  updateProject(id: string, body: T.PatchProjectInput) { return this.request<T.Project>('PATCH', `/projects/${encodeURIComponent(id)}`, { body }); }
  deleteProject(id: string) { return this.request<T.Deleted>('DELETE', `/projects/${encodeURIComponent(id)}`); }

  // Analytics reads
  stats(q: T.StatsInput) { return this.request<T.Stats>('GET', '/stats', { query: q }); }
  events(q: T.EventsInput) { return this.request<T.Events>('GET', '/events', { query: q }); }
  query(body: T.QueryInput) { return this.request<T.QueryResult>('POST', '/query', { body }); }
  properties(q: T.PropertiesInput) { return this.request<T.Properties>('GET', '/properties', { query: q }); }
  propertiesReceived(q: T.PropertiesReceivedInput) { return this.request<T.PropertiesReceived>('GET', '/properties/received', { query: q }); }
  sessions(q: T.SessionsInput) { return this.request<T.Sessions>('GET', '/sessions', { query: q }); }
  sessionsDistribution(q: T.SessionsDistributionInput) { return this.request<T.SessionsDistribution>('GET', '/sessions/distribution', { query: q }); }
  breakdown(q: T.BreakdownInput) { return this.request<T.Breakdown>('GET', '/breakdown', { query: q }); }
  insights(q: T.InsightsInput) { return this.request<T.Insights>('GET', '/insights', { query: q }); }
  pages(q: T.PagesInput) { return this.request<T.Pages>('GET', '/pages', { query: q }); }
  heatmap(q: T.HeatmapInput) { return this.request<T.Heatmap>('GET', '/heatmap', { query: q }); }
  funnel(body: T.FunnelInput) { return this.request<T.Funnel>('POST', '/funnel', { body }); }
  retention(q: T.RetentionInput) { return this.request<T.Retention>('GET', '/retention', { query: q }); }
  live(q: T.LiveInput) { return this.request<T.Live>('GET', '/live', { query: q }); }

  // Experiments
  experiments(q: T.ExperimentsListInput) { return this.request<T.ExperimentList>('GET', '/experiments', { query: q }); }
  createExperiment(body: T.CreateExperimentInput) { return this.request<T.Experiment>('POST', '/experiments', { body }); }
  experiment(id: string) { return this.request<T.ExperimentDetail>('GET', `/experiments/${encodeURIComponent(id)}`); }
  updateExperiment(id: string, body: T.PatchExperimentInput) { return this.request<T.Experiment>('PATCH', `/experiments/${encodeURIComponent(id)}`, { body }); }
  deleteExperiment(id: string) { return this.request<T.Deleted>('DELETE', `/experiments/${encodeURIComponent(id)}`); }

  // Ingestion (project token, no API key)
  /** POST /track. Without `token`, the token of the project named `project` is looked up with the API key. */
  async track(event: T.TrackInput): Promise<T.TrackAccepted> {
    const token = event.token ?? (await this.tokenFor(event.project));
    return this.ingest('/track', token, { ...event, token });
  }

  /** POST /track/batch; `token` (top level) or `project` fills events that carry no token. */
  async trackBatch(body: T.TrackBatchInput & { project?: string }): Promise<T.TrackAccepted> {
    const { project, ...rest } = body;
    const events = rest.events ?? [];
    const token = rest.token ?? events.find((e) => e.token)?.token ?? (await this.tokenFor(project ?? events.find((e) => e.project)?.project));
    return this.ingest('/track/batch', token, { ...rest, events: events.map((e) => ({ ...e, token: e.token ?? token })) });
  }

  /** The project token of the caller's project `name` (by name or id). */
  async tokenFor(name: string | undefined): Promise<string> {
    if (!name) throw new ClientError(0, 'TOKEN_REQUIRED', 'ingestion needs the project token (aat_…) or the name of one of your projects to look it up with the API key (CLI: --token or --project; MCP: token or project)');
    const { projects } = await this.projects();
    const hit = projects.find((p) => p.name === name || p.id === name);
    if (!hit) throw new ClientError(404, 'NOT_FOUND', `no project "${name}" in this account; list them with \`agent-analytics projects list\` or create it with \`agent-analytics projects create ${name}\``);
    return hit.project_token;
  }

  /** Ingestion call; a 429 is re-worded to name the token and the account's rate_limit_rpm (seed anomaly flag). */
  private async ingest(path: string, token: string, body: unknown): Promise<T.TrackAccepted> {
    try {
      return await this.request<T.TrackAccepted>('POST', path, { body, auth: false });
    } catch (err) {
      if (!(err instanceof ClientError) || err.status !== 429) throw err;
      let rpm: number | null = null;
      if (this.apiKey) rpm = await this.account().then((a) => a.tier_limits.rate_limit_rpm, () => null);
      const reason = typeof err.extra.reason === 'string' ? err.extra.reason : 'rate_limit';
      const limit = rpm === null ? 'rate_limit_rpm unknown (see GET /account)' : rpm === -1 ? 'rate_limit_rpm -1 (unlimited)' : `rate_limit_rpm ${rpm} requests/minute`;
      const advice = reason === 'rate_limit'
        ? `batch events with POST /track/batch (up to 100 per request) or space requests${err.retryAfter !== null ? `; retry in ${err.retryAfter} s` : ''}`
        : 'the account\'s event quota is used up; upgrade the tier or raise the limit';
      throw new ClientError(429, err.code, `ingestion rejected (429 ${reason}) for project token ${token}; account ${limit}: ${advice}. Server said: ${err.message}`,
        { ...err.extra, project_token: token, rate_limit_rpm: rpm }, err.retryAfter);
    }
  }

  // Export, import, backup: bodies stream, so these always go over fetch.
  /** GET /export: the response, its body not yet read (X-Export-Rows holds the event count). */
  async exportStream(q: T.ExportInput, signal?: AbortSignal): Promise<Response> {
    return this.raw('GET', `/export${queryString(q)}`, { signal });
  }

  /** POST /import with the file as a stream of `size` bytes; resolves with the queued job. */
  async importFile(q: T.ImportInput, body: AsyncIterable<Uint8Array>, size: number): Promise<T.ImportJob> {
    const res = await this.raw('POST', `/import${queryString(q)}`, { body, headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) } });
    return ((await res.json()) as { job: T.ImportJob }).job;
  }

  importJob(id: string) { return this.request<{ job: T.ImportJob }>('GET', `/import/${encodeURIComponent(id)}`).then((r) => r.job); }
  backup(dir: string) { return this.request<T.BackupManifest>('POST', '/backup', { body: { dir } }); }

  /** A request whose body is read by the caller; errors as ClientError, like request(). */
  private async raw(method: string, path: string, opts: { body?: AsyncIterable<Uint8Array>; headers?: Record<string, string>; signal?: AbortSignal }): Promise<Response> {
    if (!this.apiKey) throw new ClientError(0, 'NO_API_KEY', 'no API key configured: run `agent-analytics login --url <server> --key <aak_…>` or set AA_API_KEY');
    let res: Response;
    try {
      res = await fetch(this.baseUrl + path, {
        // fetch streams an async iterable body (undici) when duplex is 'half'.
        method, body: opts.body as unknown as BodyInit, signal: opts.signal, headers: { 'x-api-key': this.apiKey, 'user-agent': USER_AGENT, ...opts.headers },
        ...(opts.body ? { duplex: 'half' } : {}),
      } as RequestInit);
    } catch (err) {
      throw new ClientError(0, 'UNREACHABLE', `cannot reach ${this.baseUrl} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`);
    }
    if (res.status >= 400) {
      const b = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      const { error, message, ...extra } = b;
      throw new ClientError(res.status, typeof error === 'string' ? error : `HTTP_${res.status}`, typeof message === 'string' ? message : `${method} ${path.split('?')[0]} failed with HTTP ${res.status}`, extra);
    }
    return res;
  }

  /**
   * GET /stream (SSE): calls onEvent per `track` frame until `signal` aborts or the server closes.
   * Always over fetch: streams cannot go through an in-process transport.
   */
  async stream(q: T.StreamInput, handlers: { onConnected?: (info: unknown) => void; onEvent: (e: T.StreamEvent) => void }, signal?: AbortSignal): Promise<void> {
    if (!this.apiKey) throw new ClientError(0, 'NO_API_KEY', 'no API key configured: run `agent-analytics login --url <server> --key <aak_…>` or set AA_API_KEY');
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/stream${queryString(q)}`, { headers: { accept: 'text/event-stream', ...credentialHeaders(this.apiKey), 'user-agent': USER_AGENT }, signal });
    } catch (err) {
      if (signal?.aborted) return;
      throw new ClientError(0, 'UNREACHABLE', `cannot reach ${this.baseUrl} (${(err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message})`);
    }
    if (res.status >= 400) {
      const b = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      const { error, message, ...extra } = b;
      throw new ClientError(res.status, typeof error === 'string' ? error : `HTTP_${res.status}`, typeof message === 'string' ? message : `GET /stream failed with HTTP ${res.status}`, extra);
    }
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      const reader = res.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buf += decoder.decode(chunk.value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const name = /^event: ?(.*)$/m.exec(frame)?.[1];
          const data = frame.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
          if (!data) continue;
          if (name === 'connected') handlers.onConnected?.(JSON.parse(data));
          else if (name === 'track' || name === undefined) handlers.onEvent(JSON.parse(data) as T.StreamEvent);
        }
      }
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  }
}
