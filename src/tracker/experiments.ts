// A/B experiments in the browser (§3.8): server config, local fallback, URL forcing, exposure, declarative swaps.
import { doc, loc, on, origin, token, track, userId } from './core.js';
import { equalWeights, pickVariant, type Variant } from './hash.js';

interface Experiment {
  key: string;
  variants: Variant[];
}

let config: Experiment[] = [];
const answers: Record<string, string> = {};

/** Variant for `name` (cached for this page load, exposure tracked once), or null without a config. */
export function experiment(name: string, variants?: string[]): string | null {
  if (answers[name]) return answers[name];
  const server = config.filter((e) => e.key == name)[0];
  const list = server ? server.variants : variants && variants.length ? equalWeights(variants) : 0;
  if (!list) return null;
  const wanted = new URLSearchParams(loc.search).get('aa_variant_' + name);
  const forced = list.some((v) => v.key == wanted);
  const v = (answers[name] = forced ? wanted! : pickVariant(name, userId(), list));
  track('$experiment_exposure', forced ? { experiment: name, variant: v, forced } : { experiment: name, variant: v });
  return v;
}

/** Swap declarative experiment texts (server-configured experiments only), then reveal the page. */
function swap(): void {
  doc.querySelectorAll('[data-aa-experiment]').forEach((el) => {
    const name = el.getAttribute('data-aa-experiment')!;
    const v = config.some((e) => e.key == name) && experiment(name);
    const text = v && el.getAttribute('data-aa-variant-' + v.toLowerCase());
    if (text != null && text !== false && text !== '') el.textContent = text;
  });
  reveal();
}

/** Drop the anti-flicker class sites put on <html>. */
export function reveal(): void {
  doc.documentElement.classList.remove('aa-loading');
}

/** Run `fn` once the DOM is parsed. */
export function ready(fn: () => void): void {
  doc.readyState == 'loading' ? on(doc, 'DOMContentLoaded', fn) : fn();
}

/** Fetch the project's active experiments once; any failure means "no config". */
export function loadExperiments(): void {
  const done = () => ready(swap);
  if (!token) return done();
  fetch(origin + '/experiments/config?token=' + encodeURIComponent(token), { credentials: 'omit' })
    .then((r) => r.json())
    .then((j) => {
      config = (j && j.experiments) || [];
    })
    .catch(() => {})
    .then(done);
}
