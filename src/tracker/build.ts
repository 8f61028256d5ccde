// Builds /tracker.js (minified) and /tracker.src.js (readable) in memory; `tsx src/tracker/build.ts` prints the size.
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { CAPTURES, SERVED, type Capture } from './features.js';

/** Hard budget for the complete minified script, gzipped with zlib level 9 (decision P2). */
export const GZIP_BUDGET = 3584;

export interface TrackerBuild {
  minified: string;
  source: string;
  sha256: string;
  gzipBytes: number;
}

export interface BuildOptions {
  /** Opt-in captures to compile in; default: SERVED, the set that fits the budget. */
  captures?: readonly Capture[];
}

const entry = fileURLToPath(new URL('./tracker.ts', import.meta.url));

async function bundle(minify: boolean, captures: readonly Capture[]): Promise<string> {
  const define: Record<string, string> = {};
  for (const c of CAPTURES) define['AA_FEATURES.' + c] = String(captures.includes(c));
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    target: 'es2017',
    platform: 'browser',
    minify,
    define,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    // No "use strict" prologue: the bundle is a closed IIFE and every byte counts.
    tsconfigRaw: { compilerOptions: { alwaysStrict: false } },
  });
  return r.outputFiles[0].text;
}

/** Bundle the minified and the readable script; `sha256` and `gzipBytes` describe the minified one. */
export async function buildTracker(options: BuildOptions = {}): Promise<TrackerBuild> {
  const captures = options.captures || SERVED;
  const [minified, source] = await Promise.all([bundle(true, captures), bundle(false, captures)]);
  return {
    minified,
    source,
    sha256: createHash('sha256').update(minified).digest('hex'),
    gzipBytes: gzipSync(minified, { level: 9 }).length,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const b = await buildTracker();
  const full = await buildTracker({ captures: CAPTURES });
  console.log(`tracker.js: ${b.minified.length} bytes minified, ${b.gzipBytes} bytes gzipped (budget ${GZIP_BUDGET})`);
  console.log(`with every capture: ${full.gzipBytes} bytes gzipped`);
  if (b.gzipBytes > GZIP_BUDGET) process.exitCode = 1;
}
