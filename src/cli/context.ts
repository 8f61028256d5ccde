// What every CLI command receives: parsed global options, output streams, and a lazily built API client.
import { loadClientEnv } from '../config.js';
import { AnalyticsClient, ClientError } from '../client/client.js';
import { readLogin, type SavedSession, writeLogin } from './config-file.js';

export const DEFAULT_URL = 'http://localhost:8787';

export type Source = 'flag' | 'env' | 'config file' | 'default' | 'none';

export interface Settings {
  url: string;
  apiKey: string | null;
  urlSource: Source;
  keySource: Source;
  configDir: string;
  /** The saved agent session when the credential came from a browser-approved login (refreshed on 401). */
  session: SavedSession | null;
}

export interface CliContext {
  json: boolean;
  settings: Settings;
  out(text: string): void;
  err(text: string): void;
  /** The API client for the resolved URL and key. */
  client(): AnalyticsClient;
}

/** Resolve URL and key: --url/--key, then AA_URL/AA_API_KEY, then the config file, then the default URL. */
export function resolveSettings(flags: { url?: string; key?: string }): Settings {
  const env = loadClientEnv();
  const saved = readLogin(env.configDir);
  const pick = (flag: string | undefined, fromEnv: string | null, fromFile: string | undefined): [string | null, Source] =>
    flag ? [flag, 'flag'] : fromEnv ? [fromEnv, 'env'] : fromFile ? [fromFile, 'config file'] : [null, 'none'];
  const [url, urlSource] = pick(flags.url, env.url, saved.url);
  const [apiKey, keySource] = pick(flags.key, env.apiKey, saved.api_key ?? saved.agent_session?.access_token);
  const session = keySource === 'config file' && !saved.api_key ? saved.agent_session ?? null : null;
  return { url: url ?? DEFAULT_URL, urlSource: url ? urlSource : 'default', apiKey, keySource, configDir: env.configDir, session };
}

export function createContext(flags: { url?: string; key?: string; json?: boolean }, io = { out: (s: string) => process.stdout.write(`${s}\n`), err: (s: string) => process.stderr.write(`${s}\n`) }): CliContext {
  const settings = resolveSettings(flags);
  let client: AnalyticsClient | null = null;
  return {
    json: flags.json === true,
    settings,
    out: io.out,
    err: io.err,
    client() {
      if (!/^https?:\/\/[^\s/]+/.test(settings.url)) throw new ClientError(0, 'BAD_URL', `server URL "${settings.url}" (from ${settings.urlSource}) is not an http(s) URL; pass --url http://host:port or run \`agent-analytics login\``);
      const session = settings.session;
      client ??= new AnalyticsClient({
        baseUrl: settings.url, apiKey: settings.apiKey, refreshToken: session?.refresh_token ?? null,
        // A refresh rotates the pair: save it at once, or the next run would replay a dead refresh token.
        onRefresh: session ? (fresh) => { writeLogin(settings.configDir, { ...readLogin(settings.configDir), agent_session: fresh }); } : undefined,
      });
      return client;
    },
  };
}
