// A/B experiments in the browser (§3.8): server config, local fallback, URL forcing, exposure, declarative swaps.
import { doc, origin, param, token, track, userId } from './core.js';
import { equalWeights, pickVariant, type Variant } from './hash.js';

let config: { key: string; variants: Variant[] }[] = [];
const find = (name: string) => config.find((e) => e.key == name);
// Keys are prefixed: an experiment may be called "constructor".
const answers: Record<string, string> = {};

/** Variant for `name` (answered and exposed once per page load), or null without any config. */
export function experiment(name: string, variants?: string[]): string | null {
  const server = find(name);
  const list = server ? server.variants : variants?.[0] && equalWeights(variants);
  const wanted = param('aa_variant_' + name);
  const forced = list && list.some((v) => v.key == wanted);
  const key = '.' + name;
  return answers[key] || !list
    ? answers[key] || null
    : (track('$experiment_exposure', { experiment: name, variant: (answers[key] = forced ? wanted! : pickVariant(name, userId(), list)), forced: forced || undefined }),
      answers[key]);
}

/** Drop the anti-flicker class sites put on <html>. */
export const reveal = (): void => doc.documentElement.classList.remove('aa-loading');

/** Fetch the active experiments once (any failure: none), then swap declarative texts and reveal the page. */
export const loadExperiments = (): unknown =>
  fetch(origin + '/experiments/config?token=' + token, { credentials: 'omit' })
    .then((r) => r.json())
    .then((j) => (config = j.experiments || []))
    .catch(() => {})
    .then(() => {
      doc.querySelectorAll('[data-aa-experiment]').forEach((el) => {
        const name = el.getAttribute('data-aa-experiment')!;
        // Server config required here, no local fallback. Text only, never markup.
        const v = find(name) && experiment(name);
        const text = v && el.getAttribute('data-aa-variant-' + v.toLowerCase());
        if (text != null) el.textContent = text;
      });
      reveal();
    });
