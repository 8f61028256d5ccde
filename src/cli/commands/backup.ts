// `backup <dir>`: a consistent online copy of the running embedded server into a new folder (POST /backup, owner key).
import { resolve } from 'node:path';
import { type Command, UsageError } from '../command.js';
import { EXIT } from '../exit-codes.js';
import { progress } from '../progress.js';

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Back up the running embedded server (events + accounts) into a new folder on its machine',
  usage: 'agent-analytics backup <dir>          (owner key; restore with `agent-analytics restore <dir>` into an empty data folder)',
  async run(ctx, positionals) {
    const [dir] = positionals;
    if (!dir) throw new UsageError('the folder to write the backup into is required (new or empty, on the server\'s machine)');
    // The server copies in one call: the bar shows the time it has taken so far.
    const bar = progress(ctx, 'backup', 'seconds');
    const started = Date.now();
    const tick = setInterval(() => bar.update(Math.round((Date.now() - started) / 1000), null), 1000);
    try {
      const manifest = await ctx.client().backup(resolve(dir));
      bar.update(Math.round((Date.now() - started) / 1000), null);
      bar.stop();
      const tables = Object.entries(manifest.meta_rows).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', ');
      ctx.out(ctx.json ? JSON.stringify(manifest, null, 2) : `backed up ${manifest.events} events and the meta store (${tables}) to ${resolve(dir)} in ${manifest.duration_ms} ms`);
      return EXIT.OK;
    } finally {
      clearInterval(tick);
    }
  },
};
