// Importers of other tools' files, each on a small fixture written here in that tool's documented format:
// Umami's website_event rows (CSV), the official Agent Analytics self-host SQLite database, Plausible's
// imported_pages.csv (daily aggregates, mapped to page views; its other files are refused).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { upload } from './upload.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const breakdown = async (project: string, since = '2000d') =>
  (await t.request('GET', `/breakdown?project=${project}&property=path&since=${since}&limit=10`)).json().values;

describe('Umami website_event CSV', () => {
  // The columns of Umami v2's website_event table, as its CSV data export writes them.
  const header = 'event_id,website_id,session_id,visit_id,created_at,url_path,url_query,referrer_path,referrer_query,referrer_domain,page_title,event_type,event_name,hostname';
  const rows = [
    '0b7e8a4e-1c2d-4e5f-8a9b-000000000001,web-1,sess-a,visit-a1,2024-03-01 10:00:00,/pricing,ref=hn,/item,id=1,news.ycombinator.com,"Pricing, plans",1,,example.com',
    '0b7e8a4e-1c2d-4e5f-8a9b-000000000002,web-1,sess-a,visit-a1,2024-03-01 10:00:30.250,/pricing,,,,,"Pricing, plans",2,signup-click,example.com',
    '0b7e8a4e-1c2d-4e5f-8a9b-000000000003,web-1,sess-b,visit-b1,2024-03-02T09:15:00Z,/,,,,,Home 🏠,1,,example.com',
    '0b7e8a4e-1c2d-4e5f-8a9b-000000000004,web-1,sess-b,visit-b1,2024-03-02 09:16:00,/,,,,,Home,3,,example.com',
  ];

  test('page views and custom events keep time, path, referrer and title; other types are counted as skipped', async () => {
    await t.newProject(t.ownerKey, 'from-umami');
    const { job } = await upload(t, 'project=from-umami&format=umami-csv', [header, ...rows].join('\n'));
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual({ read: job.rows_read, imported: job.rows_imported, skipped: job.skipped }, { read: 4, imported: 3, skipped: { umami_event_type_3: 1 } });
    const events = (await t.request('GET', '/events?project=from-umami&since=2000d&limit=10')).json().events;
    assert.deepEqual(events.map((e: any) => [e.event, e.timestamp, e.user_id, e.session_id]).reverse(), [
      ['page_view', Date.parse('2024-03-01T10:00:00Z'), 'sess-a', 'visit-a1'],
      ['signup-click', Date.parse('2024-03-01T10:00:30.250Z'), 'sess-a', 'visit-a1'],
      ['page_view', Date.parse('2024-03-02T09:15:00Z'), 'sess-b', 'visit-b1'],
    ]);
    assert.deepEqual(events.at(-1).properties, {
      path: '/pricing', hostname: 'example.com', url: 'https://example.com/pricing?ref=hn', title: 'Pricing, plans', referrer: 'https://news.ycombinator.com/item?id=1',
    });
    assert.equal(events[0].properties.title, 'Home 🏠');
    // Received now: counted in today's usage (and the monthly cap), whatever their own dates.
    assert.equal((await t.request('GET', '/account?include=usage')).json().usage.events.today, 3);
    const again = (await upload(t, 'project=from-umami&format=umami-csv', [header, ...rows].join('\n'))).job;
    assert.deepEqual(again.skipped, { umami_event_type_3: 1, duplicate: 3 });
  });

  test('a row with a bad date names its line; a file without Umami columns is refused on line 1', async () => {
    await t.newProject(t.ownerKey, 'umami-bad');
    const bad = rows[1].replace('2024-03-01 10:00:30.250', 'last tuesday');
    const { job } = await upload(t, 'project=umami-bad&format=umami-csv', [header, rows[0], bad].join('\n'));
    assert.equal(job.status, 'failed');
    assert.match(job.error, /^line 3: created_at "last tuesday" is not a date-time/);
    const foreign = (await upload(t, 'project=umami-bad&format=umami-csv', 'date,visitors\n2024-01-01,3\n')).job;
    assert.match(foreign.error, /^line 1: the header lacks event_id, created_at, event_type; expected Umami's website_event columns/);
  });
});

describe('official Agent Analytics self-host SQLite database', () => {
  let file: string;
  before(() => {
    // The official server's schema (its schema.sql): project_id holds the project's name.
    file = join(t.dir, 'official.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE events (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, event TEXT NOT NULL, properties TEXT, user_id TEXT,
               session_id TEXT, timestamp INTEGER NOT NULL, date TEXT NOT NULL, country TEXT);
             CREATE TABLE identity_map (previous_id TEXT NOT NULL, canonical_id TEXT NOT NULL, project_id TEXT NOT NULL, created_at INTEGER NOT NULL,
               PRIMARY KEY (previous_id, project_id));`);
    const add = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const ts = Date.parse('2023-11-05T12:00:00Z');
    add.run('01HEA0000000000000000000A1', 'my-site', 'page_view', JSON.stringify({ path: '/', referrer: 'https://google.com/', title: 'Start' }), 'anon-1', 'sess-1', ts, '2023-11-05', 'NL');
    add.run('01HEA0000000000000000000A2', 'my-site', 'signup', JSON.stringify({ plan: 'pro' }), 'anon-1', 'sess-1', ts + 60_000, '2023-11-05', 'NL');
    add.run('01HEA0000000000000000000A3', 'my-site', 'page_view', JSON.stringify({ path: '/docs' }), 'user-42', 'sess-2', ts + 86_400_000, '2023-11-06', null);
    add.run('01HEA0000000000000000000B1', 'other-site', 'page_view', null, null, null, ts, '2023-11-05', null);
    db.prepare('INSERT INTO identity_map VALUES (?, ?, ?, ?)').run('anon-1', 'user-42', 'my-site', ts + 120_000);
    db.close();
  });

  test('several projects in the file: source_project picks one, the error lists them', async () => {
    await t.newProject(t.ownerKey, 'from-official');
    const body = readFileSync(file);
    const unnamed = (await upload(t, 'project=from-official&format=aa-sqlite', body)).job;
    assert.match(unnamed.error, /several projects \(my-site: 3 events, other-site: 1 events\); pick one with source_project/);
    const { job } = await upload(t, 'project=from-official&format=aa-sqlite&source_project=my-site', body);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.rows_imported, 3);
    const events = (await t.request('GET', '/events?project=from-official&since=2000d&limit=10')).json().events.reverse();
    // Ids and times kept; anonymous ids resolved through the file's identity map; country kept.
    assert.deepEqual(events.map((e: any) => [e.id, e.event, e.user_id, e.country]), [
      ['01HEA0000000000000000000A1', 'page_view', 'user-42', 'NL'], ['01HEA0000000000000000000A2', 'signup', 'user-42', 'NL'], ['01HEA0000000000000000000A3', 'page_view', 'user-42', null],
    ]);
    assert.deepEqual(await breakdown('from-official', '2000d'), [{ value: '/', count: 1, unique_users: 1 }, { value: '/docs', count: 1, unique_users: 1 }]);
    assert.equal((await upload(t, 'project=from-official&format=aa-sqlite&source_project=my-site', body)).job.skipped.duplicate, 3);
    const wrong = (await upload(t, 'project=from-official&format=aa-sqlite', 'not sqlite at all')).job;
    assert.match(wrong.error, /not an Agent Analytics self-host SQLite database/);
  });
});

describe('Plausible CSV export', () => {
  // imported_pages.csv of Plausible's CSV export (Settings → Imports & Exports): one row per date, hostname and page.
  const pages = 'date,visitors,pageviews,exits,time_on_page,hostname,page\n2024-02-01,3,5,2,120,example.com,/\n2024-02-01,1,1,1,0,example.com,/about\n2024-02-02,2,2,2,30,example.com,/\n';

  test('imported_pages.csv becomes page views: per page and day, views and visitors are exact', async () => {
    await t.newProject(t.ownerKey, 'from-plausible');
    const { job } = await upload(t, 'project=from-plausible&format=plausible-csv', pages);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.rows_imported, 8);
    assert.deepEqual(await breakdown('from-plausible'), [{ value: '/', count: 7, unique_users: 5 }, { value: '/about', count: 1, unique_users: 1 }]);
    const events = (await t.request('GET', '/events?project=from-plausible&since=2000d&limit=100')).json().events;
    assert.ok(events.every((e: any) => e.properties.imported === 'plausible' && e.properties.hostname === 'example.com'));
    assert.ok(events.every((e: any) => e.date === '2024-02-01' || e.date === '2024-02-02'));
    assert.equal((await upload(t, 'project=from-plausible&format=plausible-csv', pages)).job.skipped.duplicate, 8);
  });

  test('the other aggregate files are refused with what to use instead', async () => {
    await t.newProject(t.ownerKey, 'plausible-visitors');
    const visitors = 'date,visitors,pageviews,bounces,visits,visit_duration\n2024-02-01,10,20,3,12,300\n';
    const { job } = await upload(t, 'project=plausible-visitors&format=plausible-csv', visitors);
    assert.equal(job.status, 'failed');
    assert.match(job.error, /not Plausible's imported_pages\.csv; Plausible exports daily aggregates .* import imported_pages_\*\.csv/);
  });
});
