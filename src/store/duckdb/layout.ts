// The physical order of the DuckDB events table: rows clustered by date, so the date filters every read carries
// skip whole row groups by their min/max (zone maps) whatever order the events arrived in.
//
// Why: DuckDB appends rows in arrival order. Live traffic arrives roughly in time order, so each row group of
// 122,880 rows spans a day or two and a 7-day read skips the rest of the table. An import, a backfill or clients
// that send late batches write row groups spanning the whole month; then every read scans every row group
// (at 10 M such events a 7-day /breakdown or /events read 10 M rows instead of 2.3 M).
//
// How: `layout` in rollup_state is the seq up to which the table is known to be clustered. The rows after it
// (the tail, already folded into the rollups) are checked in blocks of one row group each, in seq order; when a
// block spans more than two dates, the tail is copied into a staging table ordered by (date, project_id, ts), a
// few dates per turn on the writer, and then swapped in with one transaction: the tail deleted (whole row groups,
// which the next checkpoint drops without rewriting anything) and the staged rows appended in their order.
// Rows keep every column, seq included, so the rollups (which track seq) are untouched; an identify or purge
// during the copy makes the swap give up (the next check starts again). Live traffic in time order costs one
// GROUP BY over the tail's dates and seqs and no rewrite.
//
// Deleting the tail a date at a time instead made every checkpoint rewrite every row group a delete touched
// (the whole table, once per date), or, with checkpoints held back, kept the rewritten rows in memory.

/** DuckDB's row group size: the unit zone maps prune by. */
export const ROW_GROUP_ROWS = 122_880;

/** A block whose dates span more than this many days counts as out of order. */
const ORDER_SLACK_DAYS = 2;

/** Migration 7: the layout mark; rows before it were written before this version and are checked once. */
export const LAYOUT_SCHEMA = ["INSERT INTO rollup_state VALUES ('layout', 0) ON CONFLICT DO NOTHING"];

export interface LayoutWriter {
  run(sql: string, params?: (string | number)[]): Promise<void>;
  rows(sql: string, params?: (string | number)[]): Promise<unknown[][]>;
  /** Run `fn` alone on the writer connection, after folding the rollups; it gets the largest folded seq. */
  exclusive<T>(fn: (folded: number) => Promise<T>): Promise<T>;
  /** True once the store is closing: the rewrite stops between dates (the mark stays, the next run resumes). */
  stopped(): boolean;
  /** Identify and purge calls so far: rows they rewrote while being copied would be stale in the copy. */
  rewrites(): number;
}

export interface ReclusterResult {
  /** Rows of the tail checked (seq after the previous mark, up to the folded one). */
  checked: number;
  /** Rows rewritten in date order (0 when the tail was already in order or too small). */
  moved: number;
  /** Dates rewritten. */
  dates: number;
}

/**
 * The out-of-order check: the tail's blocks (seq ÷ one row group) whose dates span more than the slack, and the
 * tail's size. Rows are compared by seq, which follows arrival.
 */
const TAIL_SQL = `SELECT coalesce(sum(n), 0) AS n, count(*) FILTER (WHERE span > ${ORDER_SLACK_DAYS}) AS disordered FROM (
    SELECT seq // ${ROW_GROUP_ROWS} AS block, count(*) AS n, date_diff('day', min(date), max(date)) AS span
    FROM events WHERE seq > $1 AND seq <= $2 GROUP BY block) b`;

/**
 * Check the tail after the layout mark and, when it is out of order and holds at least `minRows`, rewrite it
 * clustered by date: copied a few dates per turn on the writer, then swapped in by one transaction. Only rows
 * the rollups had folded when the check began are moved, so a fold never sees a row twice or misses one.
 */
export async function recluster(w: LayoutWriter, minRows: number): Promise<ReclusterResult> {
  const check = await w.exclusive(async (folded) => {
    const [[markValue]] = await w.rows("SELECT seq FROM rollup_state WHERE name = 'layout'");
    const mark = Number(markValue ?? 0);
    if (folded <= mark) return { mark, folded, rows: 0, disordered: false, days: [] as [string, number][] };
    const [[rows, disordered]] = await w.rows(TAIL_SQL, [mark, folded]);
    const out = { mark, folded, rows: Number(rows), disordered: Number(disordered) > 0, days: [] as [string, number][] };
    if (out.disordered && out.rows >= minRows) {
      const days = await w.rows('SELECT CAST(date AS VARCHAR), count(*) FROM events WHERE seq > $1 AND seq <= $2 GROUP BY date ORDER BY date', [mark, folded]);
      out.days = days.map(([d, n]) => [String(d), Number(n)]);
    }
    return out;
  });
  const { mark, folded } = check;
  if (check.rows < minRows || check.rows === 0) return { checked: check.rows, moved: 0, dates: 0 };
  if (check.days.length === 0) {
    await w.exclusive(() => w.run("UPDATE rollup_state SET seq = greatest(seq, $1) WHERE name = 'layout'", [folded]));
    return { checked: check.rows, moved: 0, dates: 0 };
  }
  const rewrites = w.rewrites();
  await w.exclusive(async () => {
    await w.run('DROP TABLE IF EXISTS layout_staging');
    await w.run('CREATE TABLE layout_staging AS SELECT * FROM events LIMIT 0');
  });
  try {
    for (const [first, last] of chunks(check.days)) {
      if (w.stopped() || w.rewrites() !== rewrites) return { checked: check.rows, moved: 0, dates: 0 };
      await w.exclusive(() => w.run(`INSERT INTO layout_staging SELECT * FROM events
        WHERE seq > $1 AND seq <= $2 AND date BETWEEN CAST($3 AS DATE) AND CAST($4 AS DATE) ORDER BY date, project_id, ts, id`, [mark, folded, first, last]));
    }
    const moved = await w.exclusive(async () => {
      if (w.rewrites() !== rewrites) return 0;
      await w.run('BEGIN TRANSACTION');
      try {
        await w.run('DELETE FROM events WHERE seq > $1 AND seq <= $2', [mark, folded]);
        // A table scan keeps insertion order: the staged rows are appended in date order.
        await w.run('INSERT INTO events SELECT * FROM layout_staging');
        const [[n]] = await w.rows('SELECT count(*) FROM layout_staging');
        await w.run("UPDATE rollup_state SET seq = greatest(seq, $1) WHERE name = 'layout'", [folded]);
        await w.run('COMMIT');
        return Number(n);
      } catch (err) {
        await w.run('ROLLBACK').catch(() => {});
        throw err;
      }
    });
    return { checked: check.rows, moved, dates: moved > 0 ? check.days.length : 0 };
  } finally {
    await w.exclusive(async () => {
      await w.run('DROP TABLE IF EXISTS layout_staging');
      // Drops the row groups the delete emptied; best effort (DuckDB also checkpoints on its own).
      await w.run('CHECKPOINT').catch(() => {});
    });
  }
}

/** Rows copied per turn on the writer: bounds how long ingestion waits for one turn. */
export const CHUNK_ROWS = 2 * ROW_GROUP_ROWS;

/** Consecutive dates grouped into turns of at most CHUNK_ROWS rows (a bigger date is a turn of its own). */
function chunks(days: [string, number][]): [string, string][] {
  const out: [string, string][] = [];
  let start = 0;
  let rows = 0;
  days.forEach(([, n], i) => {
    if (i > start && rows + n > CHUNK_ROWS) {
      out.push([days[start][0], days[i - 1][0]]);
      start = i;
      rows = 0;
    }
    rows += n;
  });
  if (days.length > 0) out.push([days[start][0], days[days.length - 1][0]]);
  return out;
}
