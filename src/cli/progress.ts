// Progress of long CLI work (export, import, backup) on stderr: a cli-progress bar for people, or with --json one
// JSON line per update for agents ({"progress":{…}}), at most every 250 ms and always at the end. Stdout keeps
// the command's one result document.
import cliProgress from 'cli-progress';
import type { CliContext } from './context.js';

export interface Progress {
  /** `total` null when unknown (the bar then shows the count alone). */
  update(done: number, total: number | null, fields?: Record<string, string | number>): void;
  stop(): void;
}

const EVERY_MS = 250;
const bytes = (n: number): string => (n < 1048576 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1048576).toFixed(1)} MB`);

/** A progress reporter for one phase ("upload", "import", "export", "backup") counted in `unit`. */
export function progress(ctx: CliContext, phase: string, unit: 'bytes' | 'rows' | 'seconds', write: (line: string) => void = (l) => process.stderr.write(l)): Progress {
  let last = 0;
  let latest: { done: number; total: number | null; fields?: Record<string, string | number> } | null = null;
  if (ctx.json) {
    const emit = () => latest && write(`${JSON.stringify({ progress: { phase, unit, done: latest.done, total: latest.total, ...latest.fields } })}\n`);
    return {
      update(done, total, fields) {
        latest = { done, total, fields };
        if (Date.now() - last >= EVERY_MS) {
          last = Date.now();
          emit();
        }
      },
      stop: emit,
    };
  }
  const show = (n: number) => (unit === 'bytes' ? bytes(n) : n.toLocaleString('en-US'));
  let bar: cliProgress.SingleBar | null = null;
  let known: boolean | null = null;
  return {
    update(done, total, fields = {}) {
      const hasTotal = total !== null && total > 0;
      if (bar === null || known !== hasTotal) {
        bar?.stop();
        bar = new cliProgress.SingleBar({
          stream: process.stderr, hideCursor: true, etaBuffer: 50,
          format: hasTotal ? `${phase.padEnd(7)} [{bar}] {percentage}% | {shown} of {shownTotal} {unit} | ETA {eta_formatted}` : `${phase.padEnd(7)} {shown} {unit}`,
          formatValue: (v, _o, type) => (type === 'percentage' ? String(v).padStart(3) : String(v)),
        }, cliProgress.Presets.shades_classic);
        bar.start(hasTotal ? total : 1, 0, { shown: show(0), shownTotal: hasTotal ? show(total) : '', unit: unit === 'bytes' ? '' : unit });
        known = hasTotal;
      }
      bar.setTotal(hasTotal ? total : Math.max(1, done));
      bar.update(done, { ...fields, shown: show(done), shownTotal: hasTotal ? show(total) : '', unit: unit === 'bytes' ? '' : unit });
    },
    stop() {
      bar?.stop();
    },
  };
}
