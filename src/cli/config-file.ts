// The CLI's saved login: <config dir>/config.json ({url, api_key} or {url, agent_session}), readable by its owner
// only (0600). An agent session (browser-approved `login`) is saved with both tokens and rewritten on refresh.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientError } from '../client/client.js';

export interface SavedSession { id: string; access_token: string; refresh_token: string; scopes: string[]; access_expires_at: string; refresh_expires_at: string }
export interface SavedLogin { url?: string; api_key?: string; agent_session?: SavedSession }

export const configFile = (configDir: string): string => join(configDir, 'config.json');

export function readLogin(configDir: string): SavedLogin {
  const file = configFile(configDir);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as SavedLogin) : {};
  } catch {
    throw new ClientError(0, 'BAD_CONFIG', `${file} is not valid JSON; fix it or run \`agent-analytics login\` again`);
  }
}

/** Write atomically enough for one user, then force 0600 (writeFile's mode only applies on creation). */
export function writeLogin(configDir: string, login: SavedLogin): string {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const file = configFile(configDir);
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
