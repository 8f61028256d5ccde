// The bot step (contract Appendix D with decision P1): crawlers, previews, SEO tools, monitors and
// headless browsers are dropped; scripted HTTP clients and a missing User-Agent are labelled but stored.
import { type BotLabel, type Drop, drop } from './drop.js';

interface Category {
  name: string;
  /** Filtered (dropped) or only labelled (P1: scripted clients are stored). */
  filtered: boolean;
  /** [lower-case substring, actor name]. */
  actors: [string, string][];
}

/** The registry: order matters, the first matching category wins. */
export const BOT_CATEGORIES: readonly Category[] = [
  { name: 'ai_agent', filtered: true, actors: [['chatgpt-user', 'ChatGPT-User'], ['gptbot', 'GPTBot'], ['anthropic-ai', 'anthropic-ai'], ['claudebot', 'ClaudeBot'], ['amazonbot', 'Amazonbot'], ['bytespider', 'Bytespider'], ['cohere-ai', 'cohere-ai'], ['perplexitybot', 'PerplexityBot']] },
  { name: 'search_crawler', filtered: true, actors: [['googlebot', 'Googlebot'], ['bingbot', 'Bingbot'], ['slurp', 'Yahoo! Slurp'], ['duckduckbot', 'DuckDuckBot'], ['baiduspider', 'Baiduspider'], ['yandexbot', 'YandexBot'], ['sogou', 'Sogou'], ['exabot', 'Exabot'], ['ia_archiver', 'ia_archiver']] },
  { name: 'social_preview', filtered: true, actors: [['facebookexternalhit', 'facebookexternalhit'], ['facebot', 'Facebot'], ['twitterbot', 'Twitterbot'], ['linkedinbot', 'LinkedInBot'], ['whatsapp', 'WhatsApp'], ['telegrambot', 'TelegramBot'], ['discordbot', 'Discordbot'], ['slackbot', 'Slackbot']] },
  { name: 'seo_research', filtered: true, actors: [['ahrefsbot', 'AhrefsBot'], ['semrushbot', 'SemrushBot'], ['mj12bot', 'MJ12bot'], ['dotbot', 'DotBot'], ['screaming frog', 'Screaming Frog'], ['rogerbot', 'rogerbot'], ['megaindex', 'MegaIndex']] },
  { name: 'headless_browser', filtered: true, actors: [['headlesschrome', 'HeadlessChrome'], ['phantomjs', 'PhantomJS'], ['puppeteer', 'Puppeteer'], ['playwright', 'Playwright'], ['selenium', 'Selenium']] },
  { name: 'monitoring_perf', filtered: true, actors: [['lighthouse', 'Lighthouse'], ['pagespeed', 'PageSpeed'], ['uptimerobot', 'UptimeRobot'], ['pingdom', 'Pingdom'], ['datadog', 'Datadog'], ['site24x7', 'Site24x7'], ['statuscake', 'StatusCake']] },
  { name: 'automation_script', filtered: false, actors: [['curl/', 'curl'], ['wget/', 'Wget'], ['libwww-perl', 'libwww-perl'], ['python-requests', 'python-requests'], ['scrapy', 'Scrapy'], ['go-http-client', 'Go-http-client'], ['httpie/', 'HTTPie'], ['node-fetch', 'node-fetch'], ['undici', 'undici'], ['axios/', 'axios'], ['got/', 'got'], ['node/', 'node'], ['deno/', 'Deno'], ['bun/', 'Bun']] },
];

// Generic fallback: a named *Crawler/*Spider/*Scraper word is its own actor, the other shapes are "Unknown".
const NAMED_WORD = /(?:^|[^a-z0-9])([a-z0-9]{2,}(?:crawler|spider|scraper))(?![a-z0-9])/i;
const GENERIC = [/(?:^|[^a-z0-9])bot[/\s;,)-]/i, /crawl[er/]/i, /spider[/\s;,)-]/i, /scrape[r/]/i];

const MAX_UA = 1024;

export interface BotVerdict extends BotLabel {
  filtered: boolean;
}

/** Classify a User-Agent; null for browsers and for a missing/empty one (P1). */
export function classifyUserAgent(ua: string | undefined): BotVerdict | null {
  if (!ua) return null;
  // Real User-Agents are short; the generic patterns backtrack, so a hostile 16 KB header must not reach them whole.
  if (ua.length > MAX_UA) ua = ua.slice(0, MAX_UA);
  const lower = ua.toLowerCase();
  for (const c of BOT_CATEGORIES) {
    for (const [needle, actor] of c.actors) if (lower.includes(needle)) return { category: c.name, actor, filtered: c.filtered };
  }
  const named = NAMED_WORD.exec(ua);
  if (named) return { category: 'generic_bot', actor: named[1], filtered: true };
  if (GENERIC.some((re) => re.test(ua))) return { category: 'generic_bot', actor: 'Unknown', filtered: true };
  return null;
}

// Traffic repeats a handful of User-Agents; remember verdicts so the hot path skips the scan.
const cache = new Map<string, BotVerdict | null>();

/** classifyUserAgent through the cache: the hot path asks the same few User-Agents again and again. */
export function verdictOf(ua: string): BotVerdict | null {
  let verdict = cache.get(ua);
  if (verdict === undefined) {
    verdict = classifyUserAgent(ua);
    if (cache.size >= 2000) cache.clear();
    if (ua.length <= 512) cache.set(ua, verdict);
  }
  return verdict;
}

/** The bot step: a Drop for filtered agents, otherwise null (the request goes on). */
export function botStep(ua: string | undefined): Drop | null {
  const verdict = ua ? verdictOf(ua) : null;
  return verdict?.filtered ? drop('bot', null, { category: verdict.category, actor: verdict.actor }) : null;
}
