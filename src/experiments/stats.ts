// E28's statistics: Beta(1,1)-Binomial posteriors, probability_best by deterministic numerical
// integration, lift against the control, sufficient_data and the recommendation sentence.
import { betaCdf, logBetaPdf } from './beta.js';

export interface VariantCounts {
  key: string;
  exposures: number;
  unique_users: number;
  conversions: number;
}

export interface VariantResult extends VariantCounts {
  conversion_rate: number;
}

export interface ExperimentResults {
  variants: VariantResult[];
  probability_best: Record<string, number>;
  lift: Record<string, number>;
  sufficient_data: boolean;
  recommendation: string;
}

/** Exposures every variant needs before the verdict is trusted (E28). */
export const MIN_EXPOSURES = 100;
/** probability_best at or above which the leader is called the winner (Appendix C.25). */
export const WINNER_PROBABILITY = 0.9;

const SIMPSON_INTERVALS = 2000; // even; the step is ~0.015 posterior standard deviations
const SPAN_SDS = 15; // the integrand is negligible (< 1e-9 of its mass) outside mean ± 15 sd

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** Posterior Beta(1 + conversions, 1 + users - conversions) parameters. */
export function posterior(users: number, conversions: number): { a: number; b: number } {
  return { a: 1 + conversions, b: 1 + Math.max(0, users - conversions) };
}

/**
 * P(rate_v is the highest) for each variant under independent posteriors:
 * ∫ pdf_v(x) · Π_{w≠v} cdf_w(x) dx by composite Simpson over the region where pdf_v has mass.
 * Unrounded; normalised so the values sum to exactly 1.
 */
export function probabilityBest(counts: { users: number; conversions: number }[]): number[] {
  const n = counts.length;
  if (n === 0) return [];
  const post = counts.map((c) => posterior(c.users, c.conversions));
  // Identical posteriors (no data at all, or equal counts) are exactly symmetric.
  if (post.every((p) => p.a === post[0].a && p.b === post[0].b)) return post.map(() => 1 / n);
  const raw = post.map((p, v) => {
    const mean = p.a / (p.a + p.b);
    const sd = Math.sqrt((p.a * p.b) / ((p.a + p.b) ** 2 * (p.a + p.b + 1)));
    const lo = Math.max(0, mean - SPAN_SDS * sd);
    const hi = Math.min(1, mean + SPAN_SDS * sd);
    const h = (hi - lo) / SIMPSON_INTERVALS;
    let sum = 0;
    for (let i = 0; i <= SIMPSON_INTERVALS; i++) {
      const x = lo + i * h;
      let f = Math.exp(logBetaPdf(x, p.a, p.b));
      for (let w = 0; w < n && f > 0; w++) if (w !== v) f *= betaCdf(x, post[w].a, post[w].b);
      sum += f * (i === 0 || i === SIMPSON_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2);
    }
    return (sum * h) / 3;
  });
  const total = raw.reduce((s, x) => s + x, 0);
  return total > 0 ? raw.map((x) => x / total) : post.map(() => 1 / n);
}

/**
 * Relative lift (E28): baseline = first variant; others vs the baseline; the baseline vs the best
 * of the others. Rates unrounded; a zero denominator gives 0.
 */
export function lifts(rates: number[]): number[] {
  const rel = (x: number, base: number) => (base === 0 ? 0 : (x - base) / base);
  const base = rates[0];
  const bestOther = Math.max(...rates.slice(1));
  return rates.map((r, i) => (i === 0 ? rel(base, bestOther) : rel(r, base)));
}

/** Integer percent, `-` when negative and no sign when positive (Q13). */
export function percent(fraction: number): string {
  const p = Math.round(Math.abs(fraction) * 100);
  return p === 0 ? '0' : `${fraction < 0 ? '-' : ''}${p}`;
}

/** The verdict sentence of E28, from the reported (rounded) values. */
export function recommendation(variants: VariantCounts[], prob: Record<string, number>, lift: Record<string, number>): string {
  const lowest = variants.reduce((min, v) => (v.exposures < min.exposures ? v : min));
  if (lowest.exposures < MIN_EXPOSURES) {
    return `Not enough data yet: each variant needs about ${MIN_EXPOSURES} exposures (lowest: '${lowest.key}' with ${lowest.exposures}).`;
  }
  const leader = variants.reduce((best, v) => (prob[v.key] > prob[best.key] ? v : best));
  const p = percent(prob[leader.key]);
  if (prob[leader.key] >= WINNER_PROBABILITY) {
    return `'${leader.key}' is the winner with ${p}% probability (${percent(lift[leader.key])}% lift over baseline)`;
  }
  return `No clear winner yet; keep the experiment running (leader: '${leader.key}' at ${p}% probability).`;
}

/** The whole `results` object of E28 from per-variant counts in configured order. */
export function experimentResults(counts: VariantCounts[]): ExperimentResults {
  const rates = counts.map((c) => (c.unique_users > 0 ? c.conversions / c.unique_users : 0));
  const probs = probabilityBest(counts.map((c) => ({ users: c.unique_users, conversions: c.conversions })));
  const lift = lifts(rates);
  const probability_best: Record<string, number> = {};
  const liftMap: Record<string, number> = {};
  counts.forEach((c, i) => {
    probability_best[c.key] = round3(probs[i]);
    liftMap[c.key] = round3(lift[i]);
  });
  return {
    variants: counts.map((c, i) => ({ ...c, conversion_rate: round3(rates[i]) })),
    probability_best,
    lift: liftMap,
    sufficient_data: counts.every((c) => c.exposures >= MIN_EXPOSURES),
    recommendation: recommendation(counts, probability_best, liftMap),
  };
}
