// Secrets and ids: API keys are random 192-bit values shown once and stored only as SHA-256 hashes.
import { createHash, randomBytes } from 'node:crypto';

export const newApiKey = (): string => `aak_${randomBytes(24).toString('hex')}`;
export const newProjectToken = (): string => `aat_${randomBytes(24).toString('hex')}`;
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** `prefix` + n lowercase alphanumerics from a CSPRNG (rejection sampling keeps it unbiased). */
export function newId(prefix: string, n = 16): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 252 && out.length < n) out += ALNUM[b % 36];
    }
  }
  return prefix + out;
}

export const isApiKeyShaped = (s: string): boolean => /^aak_[0-9a-f]{48}$/.test(s);
