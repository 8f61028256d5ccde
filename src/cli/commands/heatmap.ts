// `heatmap` (E13): when traffic happens, as a day-of-week x hour grid (UTC).
import type { Heatmap } from '../../client/api-types.js';
import { type Command, opt, PROJECT_OPTION, projectOf } from '../command.js';
import { answer } from './report.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SHADES = ' .:-=+*#%@';

/** 7 rows x 24 columns of shade characters, darkest = the peak cell. */
function grid(h: Heatmap): string {
  const max = h.peak?.events ?? 0;
  const cells = new Map(h.heatmap.map((c) => [`${c.day}:${c.hour}`, c.events]));
  const header = `     ${Array.from({ length: 24 }, (_, i) => (i % 6 === 0 ? String(i).padEnd(6) : '')).join('')}`;
  const rows = DAYS.map((d, day) => `${d}  ${Array.from({ length: 24 }, (_, hour) => {
    const n = cells.get(`${day}:${hour}`) ?? 0;
    return n === 0 ? '·' : SHADES[Math.max(1, Math.ceil((n / max) * (SHADES.length - 1)))];
  }).join('')}`);
  return [header, ...rows].join('\n');
}

export const heatmapCommand: Command = {
  name: 'heatmap',
  summary: 'Traffic by day of week and hour (UTC), with the peak and busiest day/hour',
  usage: 'agent-analytics heatmap --project <name> [--since 7d]',
  options: { ...PROJECT_OPTION, since: { type: 'string' } },
  async run(ctx, _p, v) {
    const res = await ctx.client().heatmap({ project: projectOf(v), since: opt.str(v, 'since') });
    return answer(ctx, res, (r) => (r.peak
      ? `${grid(r)}\n\npeak ${r.peak.day_name} ${String(r.peak.hour).padStart(2, '0')}:00 UTC (${r.peak.events} events, ${r.peak.users} users); busiest day ${r.busiest_day}, busiest hour ${r.busiest_hour}:00`
      : 'No events in this window.'));
  },
};
