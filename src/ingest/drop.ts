// A typed reason for not storing something: every ingestion step returns its input or a Drop, and every Drop is counted.
import { ApiError } from '../errors.js';

export type DropReason =
  | 'bot' | 'invalid_body' | 'missing_fields' | 'batch_too_large' | 'invalid_token' | 'origin'
  | 'rate_limit' | 'quota' | 'overloaded' | 'write_failed';

export interface BotLabel {
  category: string;
  actor: string;
}

export interface Drop {
  readonly dropped: true;
  reason: DropReason;
  /** The HTTP answer for the request (bots get a 200 instead, see the track route). */
  error: ApiError | null;
  bot?: BotLabel;
}

export const isDrop = (x: unknown): x is Drop => typeof x === 'object' && x !== null && (x as Drop).dropped === true;

export function drop(reason: DropReason, error: ApiError | null, bot?: BotLabel): Drop {
  return { dropped: true, reason, error, ...(bot ? { bot } : {}) };
}

/** A 400 drop: `code` is the contract's error code, the message says how to fix the body. */
export function invalid(code: 'INVALID_BODY' | 'MISSING_FIELDS' | 'BATCH_TOO_LARGE', message: string): Drop {
  const reason = code === 'MISSING_FIELDS' ? 'missing_fields' : code === 'BATCH_TOO_LARGE' ? 'batch_too_large' : 'invalid_body';
  return drop(reason, new ApiError(400, code, message));
}
