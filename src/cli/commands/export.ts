// `export`: every stored event of a project's date range into a file (GET /export), with a progress bar.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ClientError } from '../../client/client.js';
import { type Command, opt, PROJECT_OPTION, projectOf, UsageError } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { progress } from '../progress.js';
import { EXPORT_FORMATS } from '../../schemas/portability.js';

const isFormat = (f: string): f is (typeof EXPORT_FORMATS)[number] => (EXPORT_FORMATS as readonly string[]).includes(f);

export const exportCommand: Command = {
  name: 'export',
  summary: 'Every stored event of a date range to an NDJSON, CSV or Parquet file',
  usage: 'agent-analytics export --project <name> [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--format ndjson|csv|parquet] [--gzip] [--out <file>|-]',
  options: { ...PROJECT_OPTION, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, gzip: { type: 'boolean' }, out: { type: 'string', short: 'o' } },
  async run(ctx, _p, v) {
    const format = opt.str(v, 'format') ?? 'ndjson';
    if (!isFormat(format)) throw new UsageError(`--format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const gzip = opt.bool(v, 'gzip');
    const res = await ctx.client().exportStream({ project: projectOf(v), from: opt.str(v, 'from'), to: opt.str(v, 'to'), format, ...(gzip ? { gzip: '1' } : {}) });
    const total = Number(res.headers.get('x-export-rows') ?? NaN);
    const named = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `export.${format}${gzip ? '.gz' : ''}`;
    const out = opt.str(v, 'out') ?? named;
    const sink: Writable = out === '-' ? process.stdout : createWriteStream(out);
    // Rows are counted by line ends where the body is text; otherwise bytes are.
    const countRows = format !== 'parquet' && !gzip;
    const bar = progress(ctx, 'export', countRows ? 'rows' : 'bytes');
    let bytes = 0;
    let lines = 0;
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        if (countRows) for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
        if (!sink.write(chunk)) await once(sink, 'drain');
        const rows = format === 'csv' ? Math.max(0, lines - 1) : lines;
        bar.update(countRows ? Math.min(rows, total) : bytes, countRows && Number.isFinite(total) ? total : null);
      }
    } catch (err) {
      throw new ClientError(0, 'EXPORT_INTERRUPTED', `the export stopped after ${bytes} bytes (${(err as Error).message}); ${out === '-' ? 'the output is incomplete' : `${out} is incomplete`}, run the command again`);
    } finally {
      bar.stop();
    }
    if (out !== '-') {
      sink.end();
      await once(sink, 'finish');
    }
    const result = { file: out === '-' ? null : out, format, gzip, events: Number.isFinite(total) ? total : null, bytes };
    if (out === '-') return EXIT.OK;
    if (ctx.json) ctx.out(JSON.stringify(result, null, 2));
    else ctx.out(`wrote ${result.events ?? '?'} events (${bytes.toLocaleString('en-US')} bytes) to ${out}`);
    return EXIT.OK;
  },
};
