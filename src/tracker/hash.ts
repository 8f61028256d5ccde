// Deterministic experiment bucketing (§3.8): the same user and experiment always land in the same variant.

export interface Variant {
  key: string;
  weight: number;
}

/** 32-bit signed string hash: h = h * 31 + charCode, wrapped to int32 at every step. */
export function hash(s: string): number {
  let h = 0;
  // h * 31 + c stays below 2^53, so `| 0` gives the exact int32 wrap.
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** Equal split for a local fallback: floor(100 / n) each, the remainder to the first variant. */
export function equalWeights(keys: string[]): Variant[] {
  const w = Math.floor(100 / keys.length);
  return keys.map((key, i) => ({ key, weight: i ? w : 100 - w * (keys.length - 1) }));
}

/** bucket = |hash(name + "." + userId)| mod 100; first variant whose cumulative weight exceeds it. */
export function pickVariant(name: string, userId: string, variants: Variant[]): string {
  const bucket = Math.abs(hash(name + '.' + userId)) % 100;
  let sum = 0;
  for (const v of variants) if ((sum += v.weight) > bucket) return v.key;
  return variants[0].key;
}
