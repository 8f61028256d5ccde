// Shaping numbers the way every response prints them (§1.6 rounding, §E11 deltas). Plain TypeScript shared
// by every engine: SQL returns integer counts and sums, the ratios are taken here, once.

/** p / q rounded to `decimals` places (half up); 0 when q is 0. Exact for integer p and q. */
export function ratio(p: number, q: number, decimals: number): number {
  if (!q) return 0;
  const scale = 10 ** decimals;
  return Math.round((p * scale) / q) / scale;
}

/** A float rounded to `decimals` places (half up). */
export function round(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(x * scale) / scale;
}

/** Percent p / q × 100 with one decimal (`pct`, `engaged_pct`); 0 when q is 0. */
export const percent = (p: number, q: number): number => ratio(p * 100, q, 1);

export interface DeltaMetric {
  current: number;
  previous: number;
  change: number;
  change_pct: number | null;
}

/**
 * §E11 DeltaMetric from already-rounded values (Q5): change_pct = round(change / previous × 100) when
 * previous > 0, null when previous = 0 and current > 0, 0 when both are 0.
 */
export function delta(current: number, previous: number, changeDecimals = 0): DeltaMetric {
  const change = changeDecimals > 0 ? round(current - previous, changeDecimals) : current - previous;
  let changePct: number | null;
  if (previous > 0) changePct = Math.round((change / previous) * 100) || 0;
  else changePct = current > 0 ? null : 0;
  return { current, previous, change, change_pct: changePct };
}

/** Byte-wise (UTF-8) comparison, the order SQL engines use for text; NULL sorts last. */
export function compareLabels(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return Buffer.compare(Buffer.from(String(a)), Buffer.from(String(b)));
}
