// Logger options for buildApp: no credential (API key, project token, session token, admin token, cookie)
// ever reaches a log line. Redaction happens in the serializers, so every line that logs a request, a URL
// or an error goes through it, whatever the level.
import type { FastifyRequest } from 'fastify';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';

/** Query parameters that carry a credential: ?key= (API key), ?token= (project token), OAuth-style names. */
const SECRET_PARAMS = /([?&;](?:key|api_key|apikey|token|access_token|refresh_token|admin_token|code|code_verifier|poll_token|exchange_code)=)[^&#;\s"]*/gi;
/** Our own credential formats anywhere in a text: aak_ keys, aat_ tokens, aas_/aar_ agent-session tokens, aap_ poll tokens, aad_ dashboard sessions. */
const SECRET_VALUES = /\b(aa[kstrdp]_)[A-Za-z0-9_-]{6,}/g;
const MASK = '[REDACTED]';

/** The text with every credential replaced by [REDACTED] (query values by name, our prefixes anywhere). */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PARAMS, `$1${MASK}`).replace(SECRET_VALUES, `$1${MASK}`);
}

/** Headers that carry credentials; pino censors them wherever a header object is logged. */
const SECRET_HEADERS = ['authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization'];
const redactPaths = ['req.headers', 'headers', 'request.headers', 'res.headers'].flatMap((base) => SECRET_HEADERS.map((h) => `${base}["${h}"]`));

const serializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactSecrets(request.url),
      host: request.host,
      remoteAddress: request.ip,
      remotePort: request.socket?.remotePort,
    };
  },
  err(err: Error) {
    const out = pino.stdSerializers.err(err);
    out.message = redactSecrets(out.message ?? '');
    if (out.stack) out.stack = redactSecrets(out.stack);
    return out;
  },
};

export interface LogDestination {
  level: string;
  /** Where lines go (tests capture them); stdout when absent. */
  stream?: DestinationStream;
}

/** Fastify's `logger` option: JSON lines at `level`, credentials redacted by the serializers. */
export function loggerOptions({ level, stream }: LogDestination): LoggerOptions & { stream?: DestinationStream } {
  return { level, serializers, redact: { paths: redactPaths, censor: MASK }, ...(stream ? { stream } : {}) };
}
