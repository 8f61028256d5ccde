// The agent-session approval page (GET /agent-sessions/authorize/{id}): plain server-rendered HTML with no script,
// so it works in any browser and under a strict CSP. It says who asks for what, and lets a person sign in (the
// owner API key, or an existing dashboard session) and approve or deny. Every value is HTML-escaped.
import { SCOPE_DESCRIPTIONS, type Scope } from '../accounts/scopes.js';
import type { AgentAuthRequest } from '../store/ports.js';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
:root{color-scheme:light dark;--fg:#14171a;--muted:#4f5b66;--bg:#f6f7f9;--card:#fff;--line:#d5dae0;--accent:#0b6b3a;--deny:#8a1c1c}
@media (prefers-color-scheme:dark){:root{--fg:#e8ecef;--muted:#a9b4be;--bg:#101316;--card:#181c20;--line:#333b43;--accent:#4cc38a;--deny:#ff8a8a}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:var(--card);border:1px solid var(--line);border-radius:12px}
h1{font-size:1.4rem;margin:0 0 1rem}p,li{color:var(--muted)}strong,code{color:var(--fg)}
ul{padding-left:1.2rem}label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=password]{width:100%;padding:.6rem;font:inherit;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg)}
.actions{display:flex;gap:.75rem;margin-top:1.25rem;flex-wrap:wrap}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:6px;border:2px solid var(--accent);cursor:pointer}
button[value=approve]{background:var(--accent);color:var(--card)}button[value=deny]{background:transparent;color:var(--deny);border-color:var(--deny)}
button:focus-visible,input:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.code{font:1.1rem ui-monospace,monospace;word-break:break-all;padding:.75rem;border:1px dashed var(--line);border-radius:6px;color:var(--fg)}
.error{color:var(--deny);font-weight:600}`;

/** A whole page; `formAction` extends CSP form-action to the client's loopback callback origin (redirect after submit). */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${esc(title)} · Agent Analytics</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

export function approvalCsp(callbackUrl: string | null): string {
  const extra = callbackUrl ? ` ${new URL(callbackUrl).origin}` : '';
  return `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'${extra}; base-uri 'none'; frame-ancestors 'none'`;
}

export function approvalForm(r: AgentAuthRequest, signedInAs: string | null, error: string | null): string {
  const who = r.client_name ? `<strong>${esc(r.client_name)}</strong> (${esc(r.client_type)})` : `a <strong>${esc(r.client_type)}</strong> client`;
  const scopes = (r.scopes as Scope[]).map((s) => `<li><code>${esc(s)}</code>: ${esc(SCOPE_DESCRIPTIONS[s] ?? s)}</li>`).join('');
  const signIn = signedInAs
    ? `<p>Signed in as <strong>${esc(signedInAs)}</strong> (dashboard session).</p>`
    : `<label for="api_key">Your account's API key (aak_…)</label>`
      + `<input id="api_key" name="api_key" type="password" autocomplete="off" required aria-describedby="key-help">`
      + `<p id="key-help">The owner key of the account the agent will act for. It is checked here and not given to the agent.</p>`;
  return page('Approve agent access', `<h1>Allow agent access?</h1>`
    + `<p>${who} asks for access to your Agent Analytics account${r.client_instance_id ? ` from <code>${esc(r.client_instance_id)}</code>` : ''}. It will be able to:</p>`
    + `<ul>${scopes}</ul>`
    + `<p><strong>Approve only if you just started this sign-in yourself</strong> (for example with <code>agent-analytics login</code>); a link someone sent you could hand them this access.</p>`
    + `<p>Nothing else: no key rotation, no key management. You can revoke it any time (GET /account/agent-sessions, POST /agent-sessions/revoke). This request expires at ${esc(r.expires_at)}.</p>`
    + (error ? `<p class="error" role="alert">${esc(error)}</p>` : '')
    + `<form method="post" action="/agent-sessions/authorize/${esc(r.id)}">${signIn}`
    + `<div class="actions"><button type="submit" name="decision" value="approve">Approve</button><button type="submit" name="decision" value="deny" formnovalidate>Deny</button></div></form>`);
}

export function finishedPage(r: AgentAuthRequest, approved: boolean, code: string | null): string {
  if (!approved) return page('Access denied', `<h1>Access denied</h1><p>The agent was not given access. You can close this tab.</p>`);
  return page('Access approved', `<h1>Access approved</h1>`
    + `<p>If the agent is waiting, it continues on its own. Otherwise give it this finish code (valid until ${esc(r.expires_at)}):</p>`
    + `<p class="code" aria-label="Finish code">${esc(code ?? '')}</p>`
    + `<p>For the CLI: <code>agent-analytics login --auth-request ${esc(r.id)} --exchange-code &lt;code&gt;</code></p>`);
}

export function errorPage(status: number, message: string): string {
  return page(status === 410 ? 'Request expired' : 'Request not found', `<h1>${status === 410 ? 'This request has expired' : 'No such request'}</h1><p>${esc(message)}</p>`);
}
