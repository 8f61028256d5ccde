import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyUserAgent } from '../../src/ingest/bot.js';
import { countryFrom, referrerDomain } from '../../src/ingest/enrich.js';
import { clampInt, parseLimit } from '../../src/query/parse/limit.js';
import { parseSince } from '../../src/query/parse/since.js';
import { parseIsoInstant } from '../../src/query/time.js';

const NOW = Date.parse('2026-03-09T15:30:00Z');

test('parseSince: Nd, ISO dates and date-times, fallback to 7 days', () => {
  const cases: [unknown, string, boolean][] = [
    ['7d', '2026-03-02', true],
    ['0d', '2026-03-09', true],
    ['1d', '2026-03-08', true],
    ['2025-01-01', '2025-01-01', true],
    ['2025-01-01T23:30:00Z', '2025-01-01', true],
    ['2025-01-01T23:30:00-02:00', '2025-01-02', true],
    ['2025-01-01T10:00:00', '2025-01-01', true], // no offset = UTC
    ['2025-02-31', '2026-03-02', false],
    ['-1d', '2026-03-02', false],
    ['7 days', '2026-03-02', false],
    ['', '2026-03-02', false],
    [undefined, '2026-03-02', false],
    [42, '2026-03-02', false],
    ['9999999d', '2026-03-02', false],
  ];
  for (const [value, date, parsed] of cases) {
    const s = parseSince(value, NOW);
    assert.deepEqual([s.date, s.parsed], [date, parsed], String(value));
  }
  assert.equal(parseSince('2d', NOW).instant, NOW - 2 * 86_400_000);
  assert.equal(parseIsoInstant('2026-03-09T10:00:00.250Z'), Date.parse('2026-03-09T10:00:00.250Z'));
  assert.equal(parseIsoInstant('2026-13-01'), null);
});

test('parseLimit / clampInt: §1.4 rules', () => {
  const cases: [unknown, number][] = [[undefined, 100], ['', 100], ['abc', 100], ['0', 100], [0, 100], ['-5', 1], ['5000', 1000], ['10.7', 10], [50, 50], ['1e3', 1000], ['Infinity', 1000]];
  for (const [v, want] of cases) assert.equal(parseLimit(v), want, String(v));
  assert.equal(parseLimit(undefined, 20), 20);
  assert.equal(clampInt('50', { fallback: 5000, min: 100, max: 10000 }), 100);
  assert.equal(clampInt('0', { fallback: 5000, min: 100, max: 10000 }), 100);
});

test('bot classifier: Appendix D categories, P1 scripted clients labelled but not filtered', () => {
  const cases: [string | undefined, string | null, string | null, boolean | null][] = [
    ['Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)', 'ai_agent', 'ClaudeBot', true],
    ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'search_crawler', 'Bingbot', true],
    ['WhatsApp/2.23.20.0', 'social_preview', 'WhatsApp', true],
    ['Mozilla/5.0 (compatible; SemrushBot/7~bl)', 'seo_research', 'SemrushBot', true],
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/126.0 Safari/537.36', 'headless_browser', 'HeadlessChrome', true],
    ['Mozilla/5.0 (compatible; UptimeRobot/2.0)', 'monitoring_perf', 'UptimeRobot', true],
    ['curl/8.5.0', 'automation_script', 'curl', false],
    ['python-requests/2.31.0', 'automation_script', 'python-requests', false],
    ['Acme-Spider/1.0', 'generic_bot', 'Unknown', true],
    ['MegaScraper 2.0', 'generic_bot', 'MegaScraper', true],
    ['Mozilla/5.0 (compatible; examplebot-crawl/1.0)', 'generic_bot', 'Unknown', true],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', null, null, null],
    ['Mozilla/5.0 (Linux; Android 13; Cubot X70) Mobile Safari', null, null, null],
    [undefined, null, null, null],
    ['', null, null, null],
  ];
  for (const [ua, category, actor, filtered] of cases) {
    const v = classifyUserAgent(ua);
    assert.deepEqual(v ? [v.category, v.actor, v.filtered] : [null, null, null], [category, actor, filtered], String(ua));
  }
});

test('bot classifier stays fast on a hostile 16 KB User-Agent', () => {
  const started = performance.now();
  assert.equal(classifyUserAgent('a'.repeat(16_000)), null);
  assert.equal(classifyUserAgent('Mozilla/5.0 ' + 'x1'.repeat(8_000) + ' Googlebot')?.category ?? null, null, 'only the first 1 KB is classified');
  assert.ok(performance.now() - started < 200, `took ${performance.now() - started} ms`);
});

test('enrich helpers: referrer domain and country codes', () => {
  assert.equal(referrerDomain('https://www.Google.com/search?q=1'), 'google.com');
  assert.equal(referrerDomain('android-app://com.slack'), 'com.slack');
  assert.equal(referrerDomain('not a url'), null);
  assert.equal(referrerDomain(null), null);
  assert.equal(countryFrom('de'), 'DE');
  assert.equal(countryFrom(['FR', 'DE']), 'FR');
  assert.equal(countryFrom('XX'), null);
  assert.equal(countryFrom('T1'), null);
  assert.equal(countryFrom('DEU'), null);
  assert.equal(countryFrom(undefined), null);
});
