// DNS-rebinding protection for the routes that declare `config.hostGuard` (POST /mcp): the Host header, and
// the Origin header when a browser sends one, must name this server — a loopback name, the host of
// AA_PUBLIC_URL, or an entry of AA_MCP_ALLOWED_HOSTS. Runs before authentication, so a rebound page gets
// 403 whether or not it has a key. Only the raw Host header counts: X-Forwarded-Host is the page's to set.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { forbidden } from './errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Check Host and Origin against the allowed host names (see host-guard.ts). */
    hostGuard?: boolean;
  }
}

/** Lowercased host name of a Host header value (port and IPv6 brackets handled); null when unparseable. */
export function hostName(value: string): string | null {
  try {
    const name = new URL(`http://${value.trim()}`).hostname.toLowerCase();
    return name === '' ? null : name;
  } catch {
    return null;
  }
}

const isLoopback = (name: string): boolean =>
  name === 'localhost' || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || name === '[::1]';

/** Whether `name` may address this server: loopback, the public URL's host, or an allow-list entry. */
export function hostAllowed(config: Pick<Config, 'publicUrl' | 'mcpAllowedHosts'>, name: string): boolean {
  if (isLoopback(name)) return true;
  if (config.publicUrl !== null && new URL(config.publicUrl).hostname.toLowerCase() === name) return true;
  return config.mcpAllowedHosts.some((entry) => entry === '*' || entry === name || (entry.startsWith('*.') && name.endsWith(entry.slice(1))));
}

const HOW_TO_ALLOW = 'set AA_PUBLIC_URL to the address clients use, or add the name to AA_MCP_ALLOWED_HOSTS (comma-separated)';

/** 403 FORBIDDEN unless Host (and Origin, when present) name an allowed host. */
export function checkHost(config: Pick<Config, 'publicUrl' | 'mcpAllowedHosts'>, request: FastifyRequest): void {
  const host = request.headers.host;
  const name = typeof host === 'string' ? hostName(host) : null;
  if (name === null || !hostAllowed(config, name)) {
    throw forbidden(`Host ${JSON.stringify(host ?? '')} is not an address of this MCP endpoint (DNS-rebinding protection); connect to the server's own address, or ${HOW_TO_ALLOW}`);
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  let originName: string | null = null;
  try {
    originName = origin === 'null' ? null : new URL(origin).hostname.toLowerCase();
  } catch {
    originName = null;
  }
  if (originName === null || !hostAllowed(config, originName)) {
    throw forbidden(`Origin ${JSON.stringify(origin)} may not use this MCP endpoint (DNS-rebinding protection); to let a browser app on that origin call it, ${HOW_TO_ALLOW}`);
  }
}

/** Install before authentication: the check needs no credentials and must answer first. */
export function installHostGuard(app: FastifyInstance, config: Config): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config?.hostGuard) checkHost(config, request);
  });
}
