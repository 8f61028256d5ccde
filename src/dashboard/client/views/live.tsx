// Live: visitors right now (/live, refreshed every 10 s) and the event feed from /stream (Server-Sent Events,
// authenticated by the session cookie), prepended as events arrive.
import type { Live } from '../../../client/api-types.js';
import { useEffect, useState } from 'preact/hooks';
import { api, qs } from '../api.js';
import { int, time } from '../format.js';
import { Card, Empty, ErrorBox, RankList, useApi } from '../ui.js';

interface FeedEvent {
  id: string;
  event: string;
  properties: Record<string, unknown> | null;
  user_id: string | null;
  timestamp: number;
  country: string | null;
}

export function LiveView({ project }: { project: string }) {
  const [tick, setTick] = useState(0);
  const snap = useApi(() => api<Live>(`/live${qs({ project, window: 300 })}`), [project, tick]);
  const [feed, setFeed] = useState<FeedEvent[]>([]);
  const [status, setStatus] = useState<'connecting' | 'open' | 'error'>('connecting');

  useEffect(() => {
    const t = setInterval(() => setTick((x) => x + 1), 10_000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    setFeed([]);
    const es = new EventSource(`/stream${qs({ project })}`);
    es.addEventListener('connected', () => setStatus('open'));
    es.addEventListener('track', (m) => {
      const e = JSON.parse((m as MessageEvent).data) as FeedEvent;
      setFeed((f) => [e, ...f.filter((x) => x.id !== e.id)].slice(0, 100));
    });
    es.onerror = () => setStatus('error');
    return () => es.close();
  }, [project]);

  const s = snap.data;
  // Until the stream brings something, show the buffer's newest events from /live (they have no id there).
  const recent: FeedEvent[] = (s?.recent_events ?? []).map((e, i) => ({ ...e, id: `recent-${e.timestamp}-${i}` }));
  const shown = [...feed, ...recent.filter((r) => !feed.some((f) => f.timestamp === r.timestamp && f.event === r.event))].slice(0, 100);
  return (
    <div class="view" data-view="live">
      {snap.error && <ErrorBox error={snap.error} retry={snap.reload} />}
      <div class="tiles">
        <div class="tile" data-metric="active_visitors" data-value={s?.active_visitors ?? ''}>
          <div class="tile-label">Visitors now (last 5 min)</div>
          <div class="tile-value" aria-live="polite">{s ? int(s.active_visitors) : '…'}</div>
        </div>
        <div class="tile" data-metric="active_sessions" data-value={s?.active_sessions ?? ''}>
          <div class="tile-label">Active sessions</div>
          <div class="tile-value">{s ? int(s.active_sessions) : '…'}</div>
        </div>
        <div class="tile" data-metric="events_per_minute" data-value={s?.events_per_minute ?? ''}>
          <div class="tile-label">Events per minute</div>
          <div class="tile-value">{s ? int(s.events_per_minute) : '…'}</div>
        </div>
      </div>
      <div class="grid">
        <Card title="Event feed" actions={<span class={`status ${status}`} data-stream={status}>{status === 'open' ? '● live' : status === 'connecting' ? 'connecting…' : 'reconnecting…'}</span>}>
          {shown.length === 0 ? (
            <Empty>Waiting for events. Open a page of your site that has the snippet; events appear here as they arrive.</Empty>
          ) : (
            <ol class="feed" data-report="stream" aria-live="polite" aria-relevant="additions">
              {shown.map((e) => (
                <li key={e.id} data-id={e.id} data-event={e.event}>
                  <time dateTime={new Date(e.timestamp).toISOString()}>{time(e.timestamp)}</time> <strong>{e.event}</strong>{' '}
                  <span class="muted">{String(e.properties?.path ?? '')}</span> {e.country && <span class="muted small">{e.country}</span>}
                </li>
              ))}
            </ol>
          )}
        </Card>
        <Card title="Top pages now">
          {s ? <RankList report="top_pages" countLabel="visitors" rows={s.top_pages.map((p) => ({ label: p.path, value: p.path, count: p.visitors }))} empty={<>Nobody is on a page right now.</>} /> : <p class="muted">Loading…</p>}
        </Card>
        <Card title="Top events now">
          {s ? <RankList report="top_events" countLabel="events" rows={s.top_events.map((p) => ({ label: p.event, value: p.event, count: p.count }))} empty={<>No events in the last 5 minutes.</>} /> : <p class="muted">Loading…</p>}
        </Card>
      </div>
    </div>
  );
}
