// Shared pieces: the data hook, error and empty states, tiles, lists, tabs, flags and the uPlot chart.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import { ApiFailure } from './api.js';
import { change } from './format.js';

export interface Loaded<T> {
  data: T | null;
  error: ApiFailure | null;
  loading: boolean;
  reload: () => void;
}

/** Run `load` whenever `deps` change; the latest call wins. */
export function useApi<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiFailure | null; loading: boolean }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, error: null, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err) => live && setState({ data: null, error: err instanceof ApiFailure ? err : new ApiFailure(0, 'CLIENT', String(err?.message ?? err), null), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

/** A form's failure, said in words next to the form (nothing when there is none). */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null;
}

/** Every failure is said in words, with what to do: never a blank card. */
export function ErrorBox({ error, retry }: { error: ApiFailure; retry?: () => void }) {
  let title = 'Something went wrong';
  let hint = '';
  if (error.status === 401) {
    title = 'Signed out';
    hint = 'Your session ended. Sign in again with your API key.';
  } else if (error.status === 429) {
    title = 'Rate limit reached';
    hint = error.retryAfter !== null ? `Retry in ${error.retryAfter} s.` : 'Retry in a minute.';
  } else if (error.status >= 500) {
    title = 'Server error';
    hint = error.retryAfter !== null ? `The server asked to retry in ${error.retryAfter} s.` : 'Retry in a moment; if it persists, see the server log.';
  } else if (error.status === 404) {
    title = 'Not found';
  } else if (error.status === 0) {
    title = 'Offline';
  }
  return (
    <div class="error" role="alert" data-error={error.code}>
      <strong>{title}</strong> <span>{error.message}</span> {hint && <span>{hint}</span>}
      {retry && (
        <button type="button" class="link" onClick={retry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

export function Card({ title, children, actions, id }: { title: string; children: ComponentChildren; actions?: ComponentChildren; id?: string }) {
  const hid = useMemo(() => 'h-' + (id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')), [title, id]);
  return (
    <section class="card" aria-labelledby={hid}>
      <header class="card-head">
        <h2 id={hid}>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Tabs<K extends string>({ tabs, value, onChange, label }: { tabs: [K, string][]; value: K; onChange: (k: K) => void; label: string }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const move = (i: number) => {
    const k = (i + tabs.length) % tabs.length;
    onChange(tabs[k][0]);
    refs.current[k]?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label}>
      {tabs.map(([k, text], i) => (
        <button
          type="button"
          role="tab"
          ref={(el) => {
            refs.current[i] = el;
          }}
          aria-selected={k === value}
          tabIndex={k === value ? 0 : -1}
          data-tab={k}
          onClick={() => onChange(k)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') move(i + 1);
            if (e.key === 'ArrowLeft') move(i - 1);
          }}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** Which direction of change is good news: more visitors is, a higher bounce rate or more bots is not. */
export type Better = 'up' | 'down';

export function Change({ pct, better = 'up' }: { pct: number | null | undefined; better?: Better }) {
  const c = change(pct);
  const word = c.dir === 'up' ? 'up' : c.dir === 'down' ? 'down' : c.dir === 'new' ? 'no data in the previous period' : 'unchanged';
  // Colour says good or bad, the arrow says up or down: a falling bounce rate is green.
  const sentiment = c.dir === 'up' || c.dir === 'down' ? (c.dir === better ? 'good' : 'bad') : 'neutral';
  return (
    <span class={`change ${c.dir} ${sentiment}`} data-change-pct={pct === null || pct === undefined ? 'null' : String(pct)} data-sentiment={sentiment} title={`vs previous period: ${word}${sentiment === 'neutral' ? '' : ` (${sentiment})`}`}>
      <span aria-hidden="true">{c.dir === 'up' ? '▲ ' : c.dir === 'down' ? '▼ ' : ''}</span>
      {c.text}
      <span class="sr-only"> vs previous period{sentiment === 'neutral' ? '' : `, ${sentiment}`}</span>
    </span>
  );
}

export function Tile({ metric, label, value, raw, pct, previous, better }: { metric: string; label: string; value: string; raw: number | null; pct?: number | null; previous?: string; better?: Better }) {
  return (
    <div class="tile" data-metric={metric} data-value={raw === null ? '' : String(raw)}>
      <div class="tile-label">{label}</div>
      <div class="tile-value">{value}</div>
      {pct !== undefined && (
        <div class="tile-change">
          <Change pct={pct} better={better} />
          {previous !== undefined && <span class="muted"> from {previous}</span>}
        </div>
      )}
    </div>
  );
}

export interface Row {
  label: string;
  /** The API's value (data-value), e.g. "" for direct traffic. */
  value: string;
  count: number;
  share?: number | null;
  extra?: ComponentChildren;
}

/** A ranked list; with `onPick` each label is a button that filters the view by that value. */
export function RankList({ report, rows, onPick, countLabel, empty }: { report: string; rows: Row[]; onPick?: (r: Row) => void; countLabel: string; empty: ComponentChildren }) {
  if (!rows.length) return <Empty>{empty}</Empty>;
  const max = Math.max(...rows.map((r) => r.count), 1);
  return (
    <ol class="rank" data-report={report}>
      {rows.map((r) => (
        <li data-value={r.value} data-count={r.count} key={r.value}>
          <span class="bar" style={{ width: `${(r.count / max) * 100}%` }} aria-hidden="true" />
          {onPick ? (
            <button type="button" class="rank-label link" onClick={() => onPick(r)} title={`Filter by ${r.label}`}>
              {r.label}
            </button>
          ) : (
            <span class="rank-label">{r.label}</span>
          )}
          {r.extra}
          <span class="rank-count">
            {r.count.toLocaleString('en-US')}
            <span class="sr-only"> {countLabel}</span>
            {r.share !== undefined && r.share !== null && <span class="share"> {r.share.toFixed(1)} %</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

export interface Flag {
  code: string;
  severity: string;
  message: string;
}

export function Flags({ flags }: { flags: (Flag[] | undefined | null)[] }) {
  const all = flags.flatMap((f) => f ?? []);
  const seen = new Set<string>();
  const unique = all.filter((f) => !seen.has(f.code) && seen.add(f.code));
  if (!unique.length) return null;
  return (
    <div class="flags">
      {unique.map((f) => (
        <div class={`banner ${f.severity}`} role="status" data-flag={f.code} key={f.code}>
          <strong>{f.severity === 'critical' ? 'Critical' : f.severity === 'warning' ? 'Warning' : 'Note'}:</strong> {f.message}
        </div>
      ))}
    </div>
  );
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/** Time series with uPlot: x = bucket start (UTC), one or two series. */
export function Chart({ labels, series, height = 240, title, daily }: { labels: string[]; series: { name: string; values: number[]; dashed?: boolean }[]; height?: number; title: string; daily?: boolean }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host) return;
    const xs = labels.map((l) => Date.parse(l.length === 7 ? l + '-01T00:00:00Z' : l.length === 10 ? l + 'T00:00:00Z' : l + ':00Z') / 1000);
    const accent = cssVar('--accent');
    const muted = cssVar('--muted');
    const grid = cssVar('--line');
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const make = () =>
      new uPlot(
        {
          width: Math.max(host.clientWidth, 200),
          height,
          tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
          legend: { show: series.length > 1, live: false },
          cursor: { drag: { x: false, y: false } },
          scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
          // Daily buckets get day ticks (never "8am" between two days).
          axes: [daily ? { ...axis, space: 60, incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 30 * 86_400], values: '{M}/{D}' } : axis, { ...axis, size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 1e7, 1e8] }],
          series: [
            {},
            ...series.map((s, i) => ({ label: s.name, stroke: i === 0 ? accent : muted, width: 2, dash: s.dashed ? [6, 4] : undefined, fill: i === 0 ? accent + '22' : undefined, points: { show: labels.length < 40 } })),
          ],
        },
        [xs, ...series.map((s) => s.values)] as uPlot.AlignedData,
        host,
      );
    let plot = make();
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(host.clientWidth, 200), height }));
    ro.observe(host);
    return () => {
      ro.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(labels), JSON.stringify(series)]);
  return (
    <figure class="chart">
      <div ref={el} role="img" aria-label={title} />
      <figcaption class="sr-only">{title}</figcaption>
    </figure>
  );
}

/** A small uPlot line without axes (the sites list). */
export function Sparkline({ values, label }: { values: number[]; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = el.current;
    if (!host || !values.length) return;
    const plot = new uPlot(
      {
        width: 120,
        height: 32,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke: cssVar('--accent'), width: 1.5, fill: cssVar('--accent') + '22', points: { show: false } }],
      },
      [values.map((_, i) => i), values],
      host,
    );
    return () => plot.destroy();
  }, [JSON.stringify(values)]);
  return <div class="spark" ref={el} role="img" aria-label={label} />;
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setDone(true);
          setTimeout(() => setDone(false), 2000);
        } catch {
          setDone(false);
        }
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

/** A secret the server shows only once (a new key): copy it, then dismiss. `attr` names it for tests. */
export function ShownOnce({ secret, what, attr, onDone }: { secret: string; what: string; attr: string; onDone: () => void }) {
  return (
    <div class="banner warning" role="status">
      <p>{what} — copy it now, it will not be shown again:</p>
      <pre>
        <code {...{ [attr]: '' }}>{secret}</code>
      </pre>
      <CopyButton text={secret} label="Copy key" />{' '}
      <button type="button" onClick={onDone}>
        I saved it
      </button>
    </div>
  );
}

/** A scrollable data table with column headers; an empty header is an actions column, named for screen readers. */
export function Table({ report, head, children }: { report: string; head: string[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class="table" data-report={report}>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th scope="col" key={i}>
                {h || <span class="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
