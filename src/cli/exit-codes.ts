// Exit codes of the `agent-analytics` CLI: one per kind of failure, so scripts and agents can branch on them.
import { ClientError } from '../client/client.js';

export const EXIT = {
  OK: 0,
  /** Server error (5xx) or an unexpected response. */
  FAILURE: 1,
  /** API key missing, invalid or revoked (401), or project token rejected. */
  AUTH: 3,
  /** Project, experiment or route not found (404). */
  NOT_FOUND: 4,
  /** Forbidden: another account's resource, project limit, Pro-only feature, origin not allowed (403). */
  FORBIDDEN: 5,
  /** Rate limit or quota hit (429). */
  RATE_LIMITED: 6,
  /** Conflict with an existing resource (409). */
  CONFLICT: 7,
  /** The server rejected the input (400, 413, 415). */
  BAD_REQUEST: 8,
  /** Bad command line (unknown command or option, missing argument). */
  USAGE: 64,
  /** Server unreachable. */
  UNAVAILABLE: 69,
  /** No server URL or API key configured, or an unreadable config file. */
  CONFIG: 78,
} as const;

export function exitCodeFor(err: ClientError): number {
  if (err.status === 0) {
    if (err.code === 'UNREACHABLE') return EXIT.UNAVAILABLE;
    if (err.code === 'NO_API_KEY' || err.code === 'BAD_URL' || err.code === 'BAD_CONFIG') return EXIT.CONFIG;
    if (err.code === 'TOKEN_REQUIRED') return EXIT.USAGE;
    return EXIT.FAILURE;
  }
  switch (err.status) {
    case 401: return EXIT.AUTH;
    case 403: return EXIT.FORBIDDEN;
    case 404: return EXIT.NOT_FOUND;
    case 409: return EXIT.CONFLICT;
    case 429: return EXIT.RATE_LIMITED;
    default: return err.status >= 400 && err.status < 500 ? EXIT.BAD_REQUEST : EXIT.FAILURE;
  }
}

/** What to do next, by failure kind; appended to the server's message on stderr. */
export function hintFor(err: ClientError): string | null {
  switch (err.status) {
    case 401: return err.code === 'INVALID_TOKEN'
      ? 'the project token is unknown or its project was deleted; get the current token with `agent-analytics projects get <project>`'
      : 'check the API key: `agent-analytics login --url <server> --key <aak_…>` or AA_API_KEY (`agent-analytics whoami` shows which key is used)';
    case 404:
      if (err.code === 'EXPERIMENT_NOT_FOUND') return 'list experiment ids with `agent-analytics experiments list --project <name>`';
      // The portfolio routes name the missing portfolio first (src/portfolios/portfolios.ts).
      if (err.message.startsWith('portfolio "')) return 'list your portfolios with `agent-analytics portfolios list`';
      return 'list your projects with `agent-analytics projects list`';
    case 403: return err.code === 'PRO_REQUIRED' ? 'this needs a pro account; an operator can upgrade it (PATCH /admin/accounts/{id})' : null;
    default: return null;
  }
}
