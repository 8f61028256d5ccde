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

/** Local fallback weights: floor(100 / n) each, the remainder to the first variant (3 → 34/33/33). */
export function equalWeights(keys: string[]): Variant[] {
  const n = keys.length;
  return keys.map((key, i) => ({ key, weight: ((100 / n) | 0) + (i ? 0 : 100 % n) }));
}

/** bucket = |hash(name + "." + userId)| mod 100; the first variant whose cumulative weight exceeds it
 *  (the first variant if none does). */
export function pickVariant(name: string, userId: string, variants: Variant[]): string {
  const bucket = Math.abs(hash(name + '.' + userId)) % 100;
  let sum = 0;
  return (variants.find((v) => (sum += v.weight) > bucket) || variants[0]).key;
}
