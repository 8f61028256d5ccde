// Parsing E16's `events` / `filter` parameters into data, and matching events against it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../src/errors.js';
import { parseStreamFilter, streamMatcher } from '../../src/reports/stream-filter.js';
import type { LiveEvent } from '../../src/store/ports.js';

const e = (event: string, properties: Record<string, unknown> | null): LiveEvent => ({
  id: '01JNB6W9X3Q5R7T9V1X3Z5B7D9', project_id: 'p', event, properties, user_id: null, session_id: null, timestamp: 0, country: null,
});

test('parse: names trimmed and de-duplicated, pairs split at the first ":", empty parts ignored', () => {
  assert.deepEqual(parseStreamFilter(undefined, undefined), { events: null, filter: null });
  assert.deepEqual(parseStreamFilter('', ';;'), { events: null, filter: null });
  assert.deepEqual(parseStreamFilter(' signup , purchase,,signup', 'plan:pro; url:https://a.test/x?y=1;empty:'), {
    events: ['signup', 'purchase'],
    filter: { plan: 'pro', url: 'https://a.test/x?y=1', empty: '' },
  });
  assert.deepEqual(parseStreamFilter(['a', 'b'], ['k:1', 'j:2']), { events: ['a', 'b'], filter: { k: '1', j: '2' } }, 'repeated parameters');
});

test('parse: a pair without ":" or with a key outside ^[A-Za-z0-9_]{1,128}$ is a 400 that says how to fix it', () => {
  const code = (f: string) => {
    try {
      parseStreamFilter(undefined, f);
      return 'accepted';
    } catch (err) {
      assert.ok(err instanceof ApiError && err.status === 400);
      assert.match(err.message, /key:value|must match/);
      return err.code;
    }
  };
  assert.equal(code('plan'), 'INVALID_FILTER_FIELD');
  assert.equal(code(':pro'), 'INVALID_PROPERTY_KEY');
  assert.equal(code('a.b:1'), 'INVALID_PROPERTY_KEY');
  assert.equal(code(`${'k'.repeat(129)}:1`), 'INVALID_PROPERTY_KEY');
  assert.equal(code(`${'k'.repeat(128)}:1`), 'accepted');
});

test('match: names exact; every pair must equal the property as text; missing properties never match', () => {
  const m = streamMatcher(parseStreamFilter('signup', 'n:3;ok:true;nil:null;s:3'));
  assert.equal(m(e('signup', { n: 3, ok: true, nil: null, s: '3' })), true);
  assert.equal(m(e('signup', { n: '3', ok: 'true', nil: 'null', s: '3' })), true, 'strings equal to the JSON text match too');
  assert.equal(m(e('signup', { n: 3, ok: true, s: '3' })), false, 'missing key');
  assert.equal(m(e('signup', { n: 4, ok: true, nil: null, s: '3' })), false);
  assert.equal(m(e('Signup', { n: 3, ok: true, nil: null, s: '3' })), false);
  assert.equal(m(e('signup', null)), false);
  const all = streamMatcher(parseStreamFilter(undefined, undefined));
  assert.equal(all(e('anything', null)), true);
  const inherited = streamMatcher(parseStreamFilter(undefined, 'constructor:x'));
  assert.equal(inherited(e('a', {})), false, 'only own properties count');
});
