// Browser / OS / device detection (§3.3) on real-world User-Agent strings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client } from '../../src/ingest/client.js';

const cases: [string, number, boolean | undefined, string, string, string, string][] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 1920, false, 'Chrome', '126', 'Windows', 'desktop'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67', 1920, false, 'Edge', '125', 'Windows', 'desktop'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0', 1440, undefined, 'Opera', '110', 'macOS', 'desktop'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15', 1440, undefined, 'Safari', '17', 'macOS', 'desktop'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0', 1920, undefined, 'Firefox', '127', 'Linux', 'desktop'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 390, undefined, 'Safari', '17', 'iOS', 'mobile'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1', 390, undefined, 'Chrome', '126', 'iOS', 'mobile'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 Mobile/15E148 Safari/605.1.15', 390, undefined, 'Firefox', '127', 'iOS', 'mobile'],
  ['Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 820, undefined, 'Safari', '17', 'iOS', 'tablet'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.71 Mobile Safari/537.36', 412, true, 'Chrome', '126', 'Android', 'mobile'],
  ['Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36', 800, false, 'Chrome', '125', 'Android', 'tablet'],
  ['Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.0.0 Mobile Safari/537.36', 412, undefined, 'Chrome', '126', 'Android', 'mobile'],
  ['Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36', 1366, false, 'Chrome', '126', 'ChromeOS', 'desktop'],
  ['curl/8.4.0', 0, undefined, 'Unknown', '', 'Unknown', 'desktop'],
];

test('browser, major version, OS and device class', () => {
  for (const [ua, width, hint, browser, browser_version, os, device] of cases)
    assert.deepEqual(client(ua, width, hint), { browser, browser_version, os, device }, ua);
});

test('Client Hints saying mobile win over the User-Agent', () => {
  assert.equal(client('Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0', 1024, true).device, 'mobile');
});
